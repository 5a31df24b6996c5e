import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { VaeError } from '@vae/divergence';
import type { ImageDataset } from './dataset.js';
import type { ImageOptions } from './image-options.js';
import { decodeImageBytes } from './internal/decode-node.js';
import { ImageCollector, imageSettings } from './internal/image-collector.js';
import { readBoundedFile } from './internal/read-file.js';

/** Options of {@link loadImageFolder}: the {@link ImageOptions}, and where labels come from. */
export interface LoadImageFolderOptions extends ImageOptions {
  /**
   * `'subfolders'`: read the images of each subfolder of `directory` (in name order),
   * labelling them with the subfolder's index in `classNames`. Default: the images in
   * `directory` itself, unlabelled.
   */
  labels?: 'subfolders';
}

/** Images read from a folder, with the file each came from. */
export interface ImageFolderDataset extends ImageDataset {
  /** Path of each image relative to the folder, `[size]`, in the data set's order. */
  readonly files: string[];
  /** With `labels: 'subfolders'`: the subfolder names; `labels[i]` indexes this list. */
  readonly classNames?: string[];
}

const IMAGE_FILE = /\.(png|jpe?g)$/i;
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function entries(directory: string) {
  try {
    return await readdir(directory, { withFileTypes: true });
  } catch (error) {
    throw new VaeError(
      'DATA_CORRUPT',
      `loadImageFolder: cannot read the folder ${directory}: ${String(error)}`,
      { cause: error },
    );
  }
}

async function imageFiles(directory: string): Promise<string[]> {
  return (await entries(directory))
    .filter((entry) => entry.isFile() && IMAGE_FILE.test(entry.name))
    .map((entry) => entry.name)
    .sort(byName);
}

/** Relative paths and labels of the images to read, in order. */
async function listImages(
  directory: string,
  labels: 'subfolders' | undefined,
): Promise<{ files: string[]; labels?: number[]; classNames?: string[] }> {
  if (labels === undefined) return { files: await imageFiles(directory) };
  const classNames = (await entries(directory))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort(byName);
  const files: string[] = [];
  const classes: number[] = [];
  for (const [label, folder] of classNames.entries()) {
    for (const file of await imageFiles(join(directory, folder))) {
      files.push(join(folder, file));
      classes.push(label);
    }
  }
  return { files, labels: classes, classNames };
}

/**
 * Loads a folder of PNG and JPEG images in Node (decoded with the optional peers
 * `pngjs` and `jpeg-js`) as one 8-bit {@link ImageDataset} of item shape
 * `[side, side, channels]` (or the images' common size without `side`). Files are read
 * in name order, one at a time, into one `Uint8Array`; other files are ignored. The
 * file type is read from the first bytes, not the extension.
 *
 * @param directory - The folder of `.png`, `.jpg` and `.jpeg` files (or of one subfolder
 *   per class with `labels: 'subfolders'`).
 * @param options - Size, fit, channels, limits and `labels` (see {@link LoadImageFolderOptions}).
 * @throws `VaeError('INVALID_ARGUMENT')` when the folder holds no images or the images
 *   differ in size without `side`; `VaeError('DATA_CORRUPT')` naming the file when one
 *   cannot be read or decoded, or exceeds `maxPixels`; `VaeError('UNSUPPORTED')`
 *   naming the package to install when a decoder is missing.
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { loadImageFolder } from '@vae/data/node';
 * import { PNG } from 'pngjs';
 *
 * const folder = mkdtempSync(join(tmpdir(), 'faces-'));
 * const png = new PNG({ width: 8, height: 6 });
 * png.data.fill(128);
 * writeFileSync(join(folder, 'a.png'), PNG.sync.write(png));
 * const faces = await loadImageFolder(folder, { side: 4, channels: 1 });
 * console.log(faces.itemShape); // -> [ 4, 4, 1 ]
 * ```
 */
export async function loadImageFolder(
  directory: string,
  options: LoadImageFolderOptions = {},
): Promise<ImageFolderDataset> {
  const fn = 'loadImageFolder';
  const settings = imageSettings(fn, options);
  const listing = await listImages(directory, options.labels);
  const files = listing.files.slice(0, settings.limit ?? listing.files.length);
  if (files.length === 0) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `${fn}: expected at least one .png, .jpg or .jpeg file in ${directory}${options.labels === 'subfolders' ? "'s subfolders" : ''}, found none`,
    );
  }
  const collector = new ImageCollector(fn, files.length, settings);
  for (const file of files) {
    const path = join(directory, file);
    const bytes = await readBoundedFile(path, { name: fn, maxBytes: settings.maxBytes });
    const image = await decodeImageBytes(bytes, {
      name: path,
      fn,
      maxPixels: settings.maxPixels,
      check: (width, height) => collector.checkDimensions(path, width, height),
    });
    collector.add(path, image);
  }
  const labels = listing.labels?.slice(0, files.length);
  return {
    ...collector.result(),
    files,
    ...(labels !== undefined && {
      labels: labels.every((v) => v < 256) ? Uint8Array.from(labels) : Int32Array.from(labels),
      classNames: listing.classNames!,
    }),
  };
}
