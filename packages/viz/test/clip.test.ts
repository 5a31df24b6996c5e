import { describe, expect, it } from 'vitest';
import { clipSegment, inBox } from '../src/internal/clip.js';

const box = { left: 0, top: 0, right: 10, bottom: 10 };

describe('clipSegment', () => {
  it('keeps a segment inside the box as it is', () => {
    expect(clipSegment({ x0: 1, y0: 2, x1: 8, y1: 9 }, box)).toEqual({
      x0: 1,
      y0: 2,
      x1: 8,
      y1: 9,
    });
  });

  it('cuts a segment where it crosses the edges', () => {
    // From (-5, 5) to (15, 5): the horizontal line across the box.
    expect(clipSegment({ x0: -5, y0: 5, x1: 15, y1: 5 }, box)).toEqual({
      x0: 0,
      y0: 5,
      x1: 10,
      y1: 5,
    });
    // From (5, -10) to (5, 5): enters through the top.
    expect(clipSegment({ x0: 5, y0: -10, x1: 5, y1: 5 }, box)).toEqual({
      x0: 5,
      y0: 0,
      x1: 5,
      y1: 5,
    });
    // A diagonal through a corner region: (-2, 4) to (4, -2) touches the box only at (2, 0)..(0, 2).
    const cut = clipSegment({ x0: -2, y0: 4, x1: 4, y1: -2 }, box)!;
    expect([cut.x0, cut.y0, cut.x1, cut.y1]).toEqual([0, 2, 2, 0]);
  });

  it('drops a segment wholly outside', () => {
    expect(clipSegment({ x0: -5, y0: -5, x1: -1, y1: 20 }, box)).toBeUndefined();
    expect(clipSegment({ x0: 11, y0: 3, x1: 11, y1: 4 }, box)).toBeUndefined();
    expect(clipSegment({ x0: -3, y0: 2, x1: 2, y1: -3 }, box)).toBeUndefined();
  });
});

describe('inBox', () => {
  it('counts the edges in and the rest out', () => {
    expect(inBox(0, 10, box)).toBe(true);
    expect(inBox(5, 5, box)).toBe(true);
    expect(inBox(10.1, 5, box)).toBe(false);
    expect(inBox(5, -0.1, box)).toBe(false);
  });
});
