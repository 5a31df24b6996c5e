import { describe, expect, it } from 'vitest';
import { linePlot, PLOT_PALETTE, pixelAt, plotToPixel, type RgbaImage } from '../src/index.js';

function countColor(image: RgbaImage, color: readonly number[]): number {
  let count = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (
      image.data[i] === color[0] &&
      image.data[i + 1] === color[1] &&
      image.data[i + 2] === color[2]
    )
      count++;
  }
  return count;
}

describe('linePlot', () => {
  const train = [180, 130, 115, 108, 104];
  const test = [150, 120, 112, 107, 105];
  const plot = linePlot(
    [
      { name: 'train', y: train },
      { name: 'test', y: test },
    ],
    { title: 'Negative ELBO', xLabel: 'epoch', yLabel: 'nats' },
  );

  it('is a 640 x 400 image that is not blank: axes, text and both curves are drawn', () => {
    expect([plot.width, plot.height]).toEqual([640, 400]);
    expect(countColor(plot, [0, 0, 0])).toBeGreaterThan(500); // axes, ticks, labels
    expect(countColor(plot, PLOT_PALETTE[0]!)).toBeGreaterThan(300); // the train curve
    expect(countColor(plot, PLOT_PALETTE[1]!)).toBeGreaterThan(300); // the test curve
  });

  it('rounds the axes out to nice ticks around the data', () => {
    expect(plot.xDomain).toEqual([1, 5]);
    expect(plot.yDomain[0]).toBeLessThanOrEqual(104);
    expect(plot.yDomain[1]).toBeGreaterThanOrEqual(180);
    expect(plot.yDomain).toEqual([100, 180]);
  });

  it('draws each point of each curve where plotToPixel puts it', () => {
    train.forEach((value, i) => {
      const { x, y } = plotToPixel(plot, i + 1, value);
      // The 5 x 5 point marker is centred on the point (the legend box covers none of them here).
      expect(pixelAt(plot, Math.round(x), Math.round(y))).toEqual(PLOT_PALETTE[0]);
    });
    const { x, y } = plotToPixel(plot, 1, 150);
    expect(pixelAt(plot, Math.round(x), Math.round(y))).toEqual(PLOT_PALETTE[1]);
    // Halfway between epochs 1 and 2 the train line passes through the mean of its values.
    const middle = plotToPixel(plot, 1.5, (180 + 130) / 2);
    expect(pixelAt(plot, Math.round(middle.x), Math.round(middle.y))).toEqual(PLOT_PALETTE[0]);
  });

  it('keeps the axes at the left and bottom of the plotting area', () => {
    const { area } = plot;
    expect(pixelAt(plot, area.left, Math.round((area.top + area.bottom) / 2))).toEqual([
      0, 0, 0, 255,
    ]);
    expect(pixelAt(plot, Math.round((area.left + area.right) / 2), area.bottom)).toEqual([
      0, 0, 0, 255,
    ]);
    expect(pixelAt(plot, 2, 2)).toEqual([255, 255, 255, 255]); // background
  });

  it('draws a single point and skips non-finite values', () => {
    const single = linePlot([{ name: 'one', y: [3], color: [200, 0, 200, 255] }], {
      width: 200,
      height: 150,
    });
    const { x, y } = plotToPixel(single, 1, 3);
    expect(pixelAt(single, Math.round(x), Math.round(y))).toEqual([200, 0, 200, 255]);
    const gap = linePlot([{ name: 'gap', y: [1, Number.NaN, 3] }]);
    expect(gap.yDomain[0]).toBeLessThanOrEqual(1);
    expect(gap.yDomain[1]).toBeGreaterThanOrEqual(3);
  });

  it('rejects mismatched x and y and an empty list', () => {
    expect(() => linePlot([])).toThrow(/`series` is empty/);
    expect(() => linePlot([{ name: 'bad', x: [1, 2], y: [1] }])).toThrow(
      /'bad' has 2 x values for 1 y values/,
    );
  });
});

describe('linePlot with a y range', () => {
  const first = [200, 120, 95, 92, 91];
  const plot = linePlot([{ name: 'test', y: first }], { yRange: [90, 100] });
  const blue = PLOT_PALETTE[0]!;

  it('spans the range given, not the data', () => {
    expect(plot.yDomain).toEqual([90, 100]);
  });

  it('draws the points inside the range and no curve pixel outside the plotting area', () => {
    for (const [i, value] of first.entries()) {
      if (value > 100) continue;
      const { x, y } = plotToPixel(plot, i + 1, value);
      expect(pixelAt(plot, Math.round(x), Math.round(y))).toEqual(blue);
    }
    const { area } = plot;
    let outside = 0;
    for (let y = 0; y < plot.height; y++) {
      for (let x = 0; x < plot.width; x++) {
        // A point's 5 x 5 marker reaches 2 pixels past an edge it lies on.
        const inside =
          x >= area.left - 2 && x <= area.right + 2 && y >= area.top - 2 && y <= area.bottom + 2;
        const p = pixelAt(plot, x, y);
        if (!inside && p[0] === blue[0] && p[1] === blue[1] && p[2] === blue[2]) outside++;
      }
    }
    expect(outside).toBe(0); // 200 and 120 lie above the area: their lines stop at its top

    // The segment from 120 down to 95 enters the area through its top edge.
    const entry = plotToPixel(plot, 2 + (120 - 100) / (120 - 95), 100);
    expect(pixelAt(plot, Math.round(entry.x), Math.round(entry.y) + 1)).toEqual(blue);
  });

  it('refuses a range that is empty or not finite', () => {
    expect(() => linePlot([{ name: 'a', y: [1, 2] }], { yRange: [3, 3] })).toThrow(/yRange/);
    expect(() => linePlot([{ name: 'a', y: [1, 2] }], { yRange: [0, Number.NaN] })).toThrow(
      /low < high/,
    );
  });
});
