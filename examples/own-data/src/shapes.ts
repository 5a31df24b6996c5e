// Step 1 (Node): a folder of small PNG pictures to stand in for your own.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededUniform } from '@vae/divergence';
import { PNG } from 'pngjs';

/** Options of {@link writeShapeImages}. */
export interface ShapeImagesOptions {
  /** Number of pictures (default 200). */
  count?: number;
  /** Width and height in pixels (default 16). */
  side?: number;
  /** Seed of every colour, shape and position (default 0; 0 is a seed like any other). */
  seed?: number;
}

/** Saturated colours the shapes are drawn in (RGB bytes). */
const PALETTE: readonly (readonly [number, number, number])[] = [
  [230, 40, 40],
  [40, 180, 60],
  [50, 90, 230],
  [240, 200, 30],
  [200, 60, 200],
  [30, 200, 210],
];

/**
 * Writes `count` RGB pictures of `side` x `side` pixels into `directory` (created
 * if missing), named `shape-000.png`, `shape-001.png`, ...: one disc or square
 * of a palette colour, of radius 3 to 5 pixels (for side 16), at a random place
 * on a dark background of a random grey. The same seed writes the same bytes.
 *
 * @returns The file names written, in order.
 */
export function writeShapeImages(directory: string, options: ShapeImagesOptions = {}): string[] {
  const { count = 200, side = 16, seed = 0 } = options;
  mkdirSync(directory, { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `shape-${String(i).padStart(3, '0')}.png`;
    writeFileSync(join(directory, name), PNG.sync.write(shapeImage(side, seed, i)));
    names.push(name);
  }
  return names;
}

/** Picture `index` of `seed`: its own stream of draws, whatever the other pictures drew. */
function shapeImage(side: number, seed: number, index: number): PNG {
  const uniform = seededUniform(seed, index);
  const pick = (n: number) => Math.min(n - 1, Math.floor(uniform() * n));
  const background = 20 + pick(50);
  const colour = PALETTE[pick(PALETTE.length)]!;
  const disc = uniform() < 0.5;
  const radius = (side / 16) * (3 + 2 * uniform());
  const [cx, cy] = [
    radius + uniform() * (side - 2 * radius),
    radius + uniform() * (side - 2 * radius),
  ];
  const png = new PNG({ width: side, height: side });
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const [dx, dy] = [x + 0.5 - cx, y + 0.5 - cy];
      const inside = disc
        ? dx * dx + dy * dy <= radius * radius
        : Math.max(Math.abs(dx), Math.abs(dy)) <= radius * 0.85;
      const at = 4 * (y * side + x);
      png.data[at] = inside ? colour[0] : background;
      png.data[at + 1] = inside ? colour[1] : background;
      png.data[at + 2] = inside ? colour[2] : background;
      png.data[at + 3] = 255;
    }
  }
  return png;
}
