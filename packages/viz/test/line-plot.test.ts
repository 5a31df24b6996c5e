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
