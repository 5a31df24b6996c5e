// Pixel arithmetic shared by the image loaders: alpha over white, grey, centre crop,
// area-averaging resize and rounding back to 8 bits. Plain loops on the host.

/** An image as float levels in [0, 255], `[height, width, channels]` row-major. */
export interface Pixels {
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

/** An 8-bit RGBA image (what pngjs, jpeg-js and a canvas's `getImageData` give). */
export interface RgbaImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * RGBA composited over white (straight alpha: c' = a c + (1 - a) 255), as RGB or as
 * grey by ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B, as PIL's `'L'` mode).
 */
export function fromRgba(image: RgbaImage, channels: 1 | 3): Pixels {
  const { data, width, height } = image;
  const out = new Float32Array(width * height * channels);
  for (let p = 0; p < width * height; p++) {
    const alpha = data[4 * p + 3]! / 255;
    const white = 255 * (1 - alpha);
    const r = alpha * data[4 * p]! + white;
    const g = alpha * data[4 * p + 1]! + white;
    const b = alpha * data[4 * p + 2]! + white;
    if (channels === 1) {
      out[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    } else {
      out[3 * p] = r;
      out[3 * p + 1] = g;
      out[3 * p + 2] = b;
    }
  }
  return { data: out, height, width, channels };
}

/** The largest centred square of `pixels` (the image itself when it is square). */
export function centreSquare(pixels: Pixels): Pixels {
  const { height, width, channels } = pixels;
  const side = Math.min(height, width);
  if (height === width) return pixels;
  const top = Math.floor((height - side) / 2);
  const left = Math.floor((width - side) / 2);
  const out = new Float32Array(side * side * channels);
  for (let y = 0; y < side; y++) {
    const from = ((top + y) * width + left) * channels;
    out.set(pixels.data.subarray(from, from + side * channels), y * side * channels);
  }
  return { data: out, height: side, width: side, channels };
}

/** Source pixels overlapping output pixel `o` along one axis, with their overlaps. */
function spans(outSize: number, inSize: number): { start: number; weights: number[] }[] {
  const scale = inSize / outSize;
  return Array.from({ length: outSize }, (_, o) => {
    const lo = o * scale;
    const hi = (o + 1) * scale;
    const start = Math.floor(lo);
    const weights: number[] = [];
    for (let i = start; i < Math.min(Math.ceil(hi), inSize); i++) {
      weights.push((Math.min(i + 1, hi) - Math.max(i, lo)) / scale);
    }
    return { start, weights };
  });
}

/**
 * Resizes by area averaging (a box filter): each output pixel is the mean of the
 * source area it covers, weighted by overlap (OpenCV's `INTER_AREA` when shrinking).
 * When enlarging, an output pixel inside one source pixel takes its value.
 */
export function resizeArea(pixels: Pixels, height: number, width: number): Pixels {
  if (pixels.height === height && pixels.width === width) return pixels;
  const { channels } = pixels;
  const rows = spans(height, pixels.height);
  const columns = spans(width, pixels.width);
  const out = new Float32Array(height * width * channels);
  const sums = new Float64Array(channels);
  for (let oy = 0; oy < height; oy++) {
    const row = rows[oy]!;
    for (let ox = 0; ox < width; ox++) {
      const column = columns[ox]!;
      sums.fill(0);
      row.weights.forEach((wy, dy) => {
        column.weights.forEach((wx, dx) => {
          const at = ((row.start + dy) * pixels.width + column.start + dx) * channels;
          for (let c = 0; c < channels; c++) sums[c]! += wy * wx * pixels.data[at + c]!;
        });
      });
      for (let c = 0; c < channels; c++) out[(oy * width + ox) * channels + c] = sums[c]!;
    }
  }
  return { data: out, height, width, channels };
}

/** Levels rounded to the nearest 8-bit value, written into `out` at `offset`. */
export function writeBytes(pixels: Pixels, out: Uint8Array, offset: number): void {
  const { data } = pixels;
  for (let i = 0; i < data.length; i++) {
    out[offset + i] = Math.min(255, Math.max(0, Math.round(data[i]!)));
  }
}
