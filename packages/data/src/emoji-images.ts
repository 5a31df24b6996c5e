import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ensureArgument, VaeError } from '@vae/divergence';
import type { ImageDataset } from './image-dataset.js';

/** The emoji categories of `emoji-datasource`, in label order (`labels[i]` indexes this list). */
export const EMOJI_CATEGORIES = [
  'Smileys & Emotion',
  'People & Body',
  'Component',
  'Animals & Nature',
  'Food & Drink',
  'Travel & Places',
  'Activities',
  'Objects',
  'Symbols',
  'Flags',
] as const;

/** Which images {@link loadEmojiImages} returns: a fixed split, every 10th image is a test image. */
export type EmojiSplit = 'train' | 'test' | 'all';

/** Options of {@link loadEmojiImages}. */
export interface LoadEmojiImagesOptions {
  /** `'train'` (9 of every 10 cells), `'test'` (every 10th) or `'all'` (default). */
  split?: EmojiSplit;
  /** Side of the square output images in pixels (default 30): [size, size, 3]. */
  size?: number;
  /** Keep only the first `limit` images of the split (default: all). */
  limit?: number;
  /** A sprite sheet PNG to read instead of the package's `img/twitter/sheets/32.png`. */
  sheetPath?: string;
  /** Pixels per sprite cell in `sheetPath`, not counting the 1 px border (default 32). */
  cellSize?: number;
}

/** Colour emoji images: an {@link ImageDataset} with each image's emoji name. */
export interface EmojiImageDataset extends ImageDataset {
  /** Short name of each image's emoji (e.g. `grinning`), `[size]`. */
  names: string[];
}

interface EmojiEntry {
  short_name: string;
  category: string;
  sheet_x: number;
  sheet_y: number;
  skin_variations?: Record<string, { sheet_x: number; sheet_y: number }>;
}

interface DecodedPng {
  width: number;
  height: number;
  data: Uint8Array;
}

const PACKAGE = 'emoji-datasource-twitter';

function packageRoot(): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`${PACKAGE}/package.json`));
  } catch (error) {
    throw new VaeError(
      'UNSUPPORTED',
      `loadEmojiImages: the images come from the optional \`${PACKAGE}\` package, which is not installed; run \`npm install ${PACKAGE}\` (or pass \`sheetPath\`)`,
      { cause: error },
    );
  }
}

async function decodePng(bytes: Uint8Array): Promise<DecodedPng> {
  let png: { PNG: { sync: { read(buffer: Buffer): DecodedPng } } };
  try {
    png = (await import('pngjs')) as typeof png;
  } catch (error) {
    throw new VaeError(
      'UNSUPPORTED',
      'loadEmojiImages: decoding the sprite sheet needs the optional `pngjs` package; run `npm install pngjs`',
      { cause: error },
    );
  }
  try {
    return png.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new VaeError('DATA_CORRUPT', `loadEmojiImages: the sprite sheet is not a valid PNG`, {
      cause: error,
    });
  }
}

/** Names and categories of each sheet cell, `"x,y"` keys. */
async function cellNames(root: string): Promise<Map<string, { name: string; label: number }>> {
  const cells = new Map<string, { name: string; label: number }>();
  let entries: EmojiEntry[];
  try {
    entries = JSON.parse(await readFile(join(root, 'emoji.json'), 'utf8')) as EmojiEntry[];
  } catch {
    return cells;
  }
  for (const entry of entries) {
    const label = Math.max(0, EMOJI_CATEGORIES.indexOf(entry.category as never));
    cells.set(`${entry.sheet_x},${entry.sheet_y}`, { name: entry.short_name, label });
    for (const [tone, variation] of Object.entries(entry.skin_variations ?? {})) {
      cells.set(`${variation.sheet_x},${variation.sheet_y}`, {
        name: `${entry.short_name}:${tone.toLowerCase()}`,
        label,
      });
    }
  }
  return cells;
}

/**
 * One cell composited on white (straight alpha) and box-filtered (area-weighted average)
 * from `cellSize` to `size` pixels a side, written as [size, size, 3] floats in [0, 1].
 * Returns false when the cell is fully transparent.
 */
function cutCell(
  sheet: DecodedPng,
  cell: { left: number; top: number; cellSize: number },
  out: { pixels: Float32Array; offset: number; size: number },
): boolean {
  const { left, top, cellSize } = cell;
  const { pixels, offset, size } = out;
  const white = new Float32Array(cellSize * cellSize * 3);
  let opaque = false;
  for (let y = 0; y < cellSize; y++) {
    for (let x = 0; x < cellSize; x++) {
      const source = ((top + y) * sheet.width + left + x) * 4;
      const alpha = sheet.data[source + 3]! / 255;
      if (alpha > 0) opaque = true;
      for (let c = 0; c < 3; c++) {
        white[(y * cellSize + x) * 3 + c] = (alpha * sheet.data[source + c]!) / 255 + 1 - alpha;
      }
    }
  }
  if (!opaque) return false;
  const scale = cellSize / size;
  for (let oy = 0; oy < size; oy++) {
    for (let ox = 0; ox < size; ox++) {
      const sums = [0, 0, 0];
      for (let y = Math.floor(oy * scale); y < Math.ceil((oy + 1) * scale); y++) {
        const wy = Math.min(y + 1, (oy + 1) * scale) - Math.max(y, oy * scale);
        for (let x = Math.floor(ox * scale); x < Math.ceil((ox + 1) * scale); x++) {
          const w = wy * (Math.min(x + 1, (ox + 1) * scale) - Math.max(x, ox * scale));
          for (let c = 0; c < 3; c++) sums[c]! += w * white[(y * cellSize + x) * 3 + c]!;
        }
      }
      for (let c = 0; c < 3; c++) {
        pixels[offset + (oy * size + ox) * 3 + c] = Math.min(1, sums[c]! / (scale * scale));
      }
    }
  }
  return true;
}

/**
 * Loads real colour images: the Twitter emoji (Twemoji, CC-BY 4.0) sprite sheet of the
 * optional `emoji-datasource-twitter` package (62 x 62 cells of 32 x 32 px with a 1 px
 * border), decoded with the optional `pngjs`. Empty cells are skipped; each image is
 * composited on white and box-filtered to `size` x `size` x 3 (30 x 30 x 3 = 2700 values by
 * default), as float32 in [0, 1]. Labels index {@link EMOJI_CATEGORIES}. Node only.
 *
 * Shapes: `images` is `[n, size * size * 3]` row-major (height, width, RGB), `labels` `[n]`.
 *
 * @throws `VaeError('UNSUPPORTED')` naming the package to install when one is missing.
 * @example
 * ```ts
 * import { loadEmojiImages } from '@vae/data/node';
 * const train = await loadEmojiImages({ split: 'train' }); // ~3,300 images of 30 x 30 x 3
 * const x = tf.tensor2d(train.images, [train.size, 2700]);
 * ```
 */
export async function loadEmojiImages(
  options: LoadEmojiImagesOptions = {},
): Promise<EmojiImageDataset> {
  const { split = 'all', size = 30, limit, cellSize = 32 } = options;
  ensureArgument(
    split === 'train' || split === 'test' || split === 'all',
    () =>
      `loadEmojiImages: \`split\` must be 'train', 'test' or 'all', got ${JSON.stringify(split)}`,
  );
  ensureArgument(
    Number.isInteger(size) && size >= 1 && size <= cellSize,
    () => `loadEmojiImages: \`size\` must be an integer in [1, ${cellSize}], got ${size}`,
  );
  ensureArgument(
    limit === undefined || (Number.isInteger(limit) && limit > 0),
    () => `loadEmojiImages: \`limit\` must be a positive integer, got ${limit}`,
  );
  const root = options.sheetPath === undefined ? packageRoot() : undefined;
  const path = options.sheetPath ?? join(root!, 'img/twitter/sheets/32.png');
  const sheet = await decodePng(await readFile(path));
  const stride = cellSize + 2;
  const columns = Math.floor(sheet.width / stride);
  const rows = Math.floor(sheet.height / stride);
  if (columns < 1 || rows < 1) {
    throw new VaeError(
      'DATA_CORRUPT',
      `loadEmojiImages: a ${sheet.width} x ${sheet.height} sheet holds no ${stride} px cells`,
    );
  }
  const names = root === undefined ? new Map() : await cellNames(root);
  const perImage = size * size * 3;
  const pixels = new Float32Array(columns * rows * perImage);
  const labels: number[] = [];
  const kept: string[] = [];
  let found = 0;
  for (let x = 0; x < columns && (limit === undefined || labels.length < limit); x++) {
    for (let y = 0; y < rows && (limit === undefined || labels.length < limit); y++) {
      const cell = { left: x * stride + 1, top: y * stride + 1, cellSize };
      const out = { pixels, offset: labels.length * perImage, size };
      if (!cutCell(sheet, cell, out)) continue;
      const inTest = found % 10 === 9;
      found++;
      if ((split === 'test' && !inTest) || (split === 'train' && inTest)) continue;
      const info = names.get(`${x},${y}`);
      labels.push(info?.label ?? 0);
      kept.push(info?.name ?? `cell-${x}-${y}`);
    }
  }
  return {
    images: pixels.slice(0, labels.length * perImage),
    labels: Uint8Array.from(labels),
    size: labels.length,
    imageShape: [size, size, 3],
    names: kept,
  };
}
