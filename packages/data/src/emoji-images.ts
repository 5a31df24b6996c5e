import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ensureArgument, VaeError } from '@vae/divergence';
import type { LabeledImageDataset } from './dataset.js';
import { fromRgba, resizeArea, writeBytes } from './internal/pixels.js';

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

/** Colour emoji images: a {@link LabeledImageDataset} with each image's emoji name. */
export interface EmojiImageDataset extends LabeledImageDataset {
  /** Short name of each image's emoji (e.g. `grinning`), `[size]`. */
  readonly names: string[];
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
 * One cell composited on white (straight alpha) and area-averaged from `cellSize` to
 * `size` pixels a side, written as [size, size, 3] bytes at `offset`. Returns false
 * when the cell is fully transparent.
 */
function cutCell(
  sheet: DecodedPng,
  cell: { left: number; top: number; cellSize: number },
  out: { pixels: Uint8Array; offset: number; size: number },
): boolean {
  const { left, top, cellSize } = cell;
  const rgba = new Uint8Array(cellSize * cellSize * 4);
  let opaque = false;
  for (let y = 0; y < cellSize; y++) {
    const from = ((top + y) * sheet.width + left) * 4;
    const row = sheet.data.subarray(from, from + cellSize * 4);
    rgba.set(row, y * cellSize * 4);
    for (let x = 0; x < cellSize && !opaque; x++) opaque = row[4 * x + 3]! > 0;
  }
  if (!opaque) return false;
  const white = fromRgba({ data: rgba, width: cellSize, height: cellSize }, 3);
  writeBytes(resizeArea(white, out.size, out.size), out.pixels, out.offset);
  return true;
}

/**
 * Loads real colour images: the Twitter emoji (Twemoji, CC-BY 4.0) sprite sheet of the
 * optional `emoji-datasource-twitter` package (62 x 62 cells of 32 x 32 px with a 1 px
 * border), decoded with the optional `pngjs`. Empty cells are skipped; each image is
 * composited on white and area-averaged to `size` x `size` x 3 (30 x 30 x 3 = 2700 values
 * by default), rounded to 8 bits. Labels index {@link EMOJI_CATEGORIES}. Node only.
 *
 * Shapes: item shape `[size, size, 3]`; `values` is a `Uint8Array` `[n, size, size, 3]`
 * row-major (level k meaning k / 255), `labels` `[n]`.
 *
 * @param options - `split` (`'train'` by default), `size` of the square images (30 by
 *   default) and `limit` (see {@link LoadEmojiImagesOptions}).
 * @throws `VaeError('UNSUPPORTED')` naming the package to install when one is missing.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { createDataSource } from '@vae/data';
 * import { loadEmojiImages } from '@vae/data/node';
 *
 * const train = await loadEmojiImages({ split: 'train' });
 * console.log(train.size > 3000, train.itemShape); // -> true [ 30, 30, 3 ]
 * const x = createDataSource(train, { shape: [2700] }).getBatch([0, 1, 2]);
 * console.log(x.shape); // -> [ 3, 2700 ]
 * x.dispose();
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
  const pixels = new Uint8Array(columns * rows * perImage);
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
    size: labels.length,
    itemShape: [size, size, 3],
    values: pixels.slice(0, labels.length * perImage),
    labels: Uint8Array.from(labels),
    names: kept,
  };
}
