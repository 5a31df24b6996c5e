/** A straight segment from (x0, y0) to (x1, y1), in pixels. */
export interface Segment {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A rectangle in pixels, rows growing downwards. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The part of `segment` inside `box` (Liang-Barsky), or undefined when none of it is:
 * a plot with a fixed y range draws the curves' visible parts only.
 */
export function clipSegment(segment: Segment, box: Box): Segment | undefined {
  const { x0, y0 } = segment;
  const dx = segment.x1 - x0;
  const dy = segment.y1 - y0;
  let enter = 0;
  let leave = 1;
  // For each edge: p t <= q keeps the point x0 + t dx (or y) on the box's side.
  const edges: [number, number][] = [
    [-dx, x0 - box.left],
    [dx, box.right - x0],
    [-dy, y0 - box.top],
    [dy, box.bottom - y0],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return undefined; // parallel to this edge and outside it
      continue;
    }
    const t = q / p;
    if (p < 0) enter = Math.max(enter, t);
    else leave = Math.min(leave, t);
    if (enter > leave) return undefined;
  }
  return {
    x0: x0 + enter * dx,
    y0: y0 + enter * dy,
    x1: x0 + leave * dx,
    y1: y0 + leave * dy,
  };
}

/** Whether the point lies in the box, edges included. */
export function inBox(x: number, y: number, box: Box): boolean {
  const e = 1e-6; // a point on an edge, give or take rounding
  return x >= box.left - e && x <= box.right + e && y >= box.top - e && y <= box.bottom + e;
}
