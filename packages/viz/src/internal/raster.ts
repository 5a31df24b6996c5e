import type { Rgba, RgbaImage } from '../rgba-image.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphCells } from './font.js';

/** Sets one pixel, ignoring points outside the image. */
export function setPixel(image: RgbaImage, point: { x: number; y: number }, color: Rgba): void {
  const x = Math.round(point.x);
  const y = Math.round(point.y);
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  image.data.set(color, 4 * (y * image.width + x));
}

/** Fills the rectangle [x, x + width) x [y, y + height), clipped to the image. */
export function fillRect(
  image: RgbaImage,
  rect: { x: number; y: number; width: number; height: number },
  color: Rgba,
): void {
  for (let y = Math.round(rect.y); y < Math.round(rect.y + rect.height); y++) {
    for (let x = Math.round(rect.x); x < Math.round(rect.x + rect.width); x++) {
      setPixel(image, { x, y }, color);
    }
  }
}

/** A straight line of the given thickness (a square brush stepped along the longer axis). */
export function drawLine(
  image: RgbaImage,
  line: { x0: number; y0: number; x1: number; y1: number; thickness?: number },
  color: Rgba,
): void {
  const { x0, y0, x1, y1, thickness = 1 } = line;
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
  const offset = Math.floor((thickness - 1) / 2);
  for (let s = 0; s <= steps; s++) {
    const x = Math.round(x0 + ((x1 - x0) * s) / steps) - offset;
    const y = Math.round(y0 + ((y1 - y0) * s) / steps) - offset;
    fillRect(image, { x, y, width: thickness, height: thickness }, color);
  }
}

/** Draws `text` with its top-left corner at (x, y), each font cell `scale` pixels wide. */
export function drawText(
  image: RgbaImage,
  text: { text: string; x: number; y: number; scale?: number },
  color: Rgba,
): void {
  const scale = text.scale ?? 1;
  [...text.text].forEach((character, i) => {
    const left = text.x + i * (GLYPH_WIDTH + 1) * scale;
    for (const [cx, cy] of glyphCells(character)) {
      fillRect(
        image,
        { x: left + cx * scale, y: text.y + cy * scale, width: scale, height: scale },
        color,
      );
    }
  });
}

/** Height in pixels of one line of text at `scale`. */
export function textHeight(scale: number): number {
  return GLYPH_HEIGHT * scale;
}
