// "Learn a generative model of your data": vae train, eval, sample and gaussian on a
// folder of PNG and JPEG images the test writes, on a .npy file, and on the emoji.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededUniform } from '@vae/divergence';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lines, readJsonLines, temporary, vae } from './helpers.js';

const root = temporary('vae-own-data-');
const images = join(root, 'images');
const SIDE = 12;

/**
 * 36 colour pictures: a coloured disc of random centre, radius and colour on
 * white, 30 as 12 x 12 PNGs and 6 as 16 x 16 JPEGs (so --side is needed).
 */
function writeImages(): void {
  mkdirSync(images);
  const random = seededUniform(13);
  for (let i = 0; i < 36; i++) {
    const size = i < 30 ? SIDE : 16;
    const data = Buffer.alloc(size * size * 4, 255);
    const [cx, cy, r] = [random() * size, random() * size, 2 + random() * (size / 3)];
    const colour = [random() * 255, random() * 255, random() * 255];
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
        for (let c = 0; c < 3; c++) data[4 * (y * size + x) + c] = colour[c]!;
      }
    }
    const name = `picture-${String(i).padStart(2, '0')}`;
    if (i < 30) {
      const png = new pngjs.PNG({ width: size, height: size });
      data.copy(png.data);
      writeFileSync(join(images, `${name}.png`), pngjs.PNG.sync.write(png));
    } else {
      writeFileSync(
        join(images, `${name}.jpg`),
        jpeg.encode({ data, width: size, height: size }, 95).data,
      );
    }
  }
  writeFileSync(join(images, 'notes.txt'), 'not an image: ignored');
}

/** A float32 .npy of [n, d] values. */
function writeNpy(path: string, values: Float32Array, shape: [number, number]): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape[0]}, ${shape[1]}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const preamble = Buffer.alloc(10);
  preamble.write('\x93NUMPY', 0, 'latin1');
  preamble[6] = 1;
  preamble.writeUInt16LE(header.length, 8);
  writeFileSync(
    path,
    Buffer.concat([preamble, Buffer.from(header, 'latin1'), Buffer.from(values.buffer)]),
  );
}

function colourful(path: string): boolean {
  const png = pngjs.PNG.sync.read(readFileSync(path));
  for (let i = 0; i < png.data.length; i += 4) {
    if (png.data[i] !== png.data[i + 1] || png.data[i + 1] !== png.data[i + 2]) return true;
  }
  return false;
}

beforeAll(() => {
  writeImages();
});

const FAST = ['--backend', 'wasm', '--batch-size', '8', '--latent', '4', '--conv-channels', '8,16'];

describe('your own images: a folder of PNG and JPEG files', () => {
  const run = join(root, 'folder-run');
  let trained: Awaited<ReturnType<typeof vae>>;

  beforeAll(async () => {
    trained = await vae(
      'train',
      '--data',
      images,
      '--side',
      String(SIDE),
      '--epochs',
      '2',
      ...FAST,
      '--out',
      run,
    );
  }, 180_000);

  it('trains the conv preset with a discretized logistic mixture, chosen from the data', () => {
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toMatch(
      /^loading images in .*images \.\.\. 32 training and 4 test images of 12x12x3, 8-bit/m,
    );
    expect(trained.stderr).toMatch(
      /^model: conv 12x12x3 -> 8,16 channels -> 4 latents, mixture of 5 discretized logistics \(colour channels coupled\), /m,
    );
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    expect(config.data).toEqual({
      source: 'folder',
      path: images,
      channels: 3,
      side: SIDE,
      testFraction: 0.1,
    });
    expect([config.preset, config.likelihood, config.itemShape, config.coupled]).toEqual([
      'conv',
      'logistic-mixture',
      [12, 12, 3],
      true,
    ]);
    const metrics = readJsonLines(join(run, 'metrics.jsonl'));
    expect(metrics.map((m) => m.epoch)).toEqual([0, 1]);
    expect(metrics.every((m) => Number.isFinite(m.testLoss))).toBe(true);
    // Discrete data: the test ELBO is a log-probability, below 0, in bits per dimension above 0.
    expect(trained.stdout).toMatch(
      /^test ELBO -[\d.]+ nats \(negative ELBO [\d.]+, [\d.]+ bits\/dim\) after 2 epochs/,
    );
    expect(colourful(join(run, 'samples.png'))).toBe(true);
  });

  it('evaluates on the same seeded test split, in bits per dimension of the 8-bit data', async () => {
    const result = await vae('eval', run, '--k', '10', '--json', '--quiet', '--backend', 'wasm');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, number>;
    expect(report.examples).toBe(4);
    expect(report.logLikelihood).toBeLessThan(0);
    expect(report.bitsPerDim).toBeCloseTo(-report.logLikelihood! / (SIDE * SIDE * 3 * Math.LN2), 6);
  }, 120_000);

  it('samples colour pictures', async () => {
    const result = await vae(
      'sample',
      run,
      '--n',
      '9',
      '--steps',
      '5',
      '--quiet',
      '--backend',
      'wasm',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(lines(result.stdout)).toHaveLength(4);
    expect(colourful(join(run, 'sample', 'samples.png'))).toBe(true);
    expect(colourful(join(run, 'sample', 'reconstructions.png'))).toBe(true);
  }, 120_000);

  it('a Gaussian likelihood trains on the dequantized images, scored the way vae gaussian scores', async () => {
    const out = join(root, 'gaussian-likelihood');
    const result = await vae(
      'train',
      '--data',
      images,
      '--side',
      String(SIDE),
      '--likelihood',
      'gaussian',
      '--epochs',
      '1',
      ...FAST,
      '--quiet',
      '--out',
      out,
    );
    expect(result.code, result.stderr).toBe(0);
    const evaluation = await vae('eval', out, '--k', '5', '--json', '--quiet', '--backend', 'wasm');
    const report = JSON.parse(evaluation.stdout) as Record<string, number>;
    // y = (k + u) / 256: log P(k) >= log p(y) - D ln 256.
    const d = SIDE * SIDE * 3;
    expect(report.bitsPerDim).toBeCloseTo(
      -(report.logLikelihood! - d * Math.log(256)) / (d * Math.LN2),
      6,
    );
  }, 120_000);

  it('vae gaussian takes the same folder and split', async () => {
    const out = join(root, 'gaussian');
    const result = await vae(
      'gaussian',
      '--data',
      images,
      '--side',
      String(SIDE),
      '--shrinkage',
      '0.1',
      '--samples',
      '4',
      '--json',
      '--quiet',
      '--backend',
      'wasm',
      '--out',
      out,
    );
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, number | string>;
    expect([report.trainExamples, report.testExamples, report.dimension]).toEqual([32, 4, 432]);
    expect(report.dequantization).toBe(
      'levels k dequantized as y = (k + u) / 256, u ~ U[0, 1); log P(k) >= log p(y) - D ln 256',
    );
    expect(colourful(join(out, 'samples.png'))).toBe(true);
  }, 120_000);

  it('names the problem with a folder: mixed sizes without --side, no images', async () => {
    const mixed = await vae(
      'train',
      '--data',
      images,
      ...FAST,
      '--quiet',
      '--out',
      join(root, 'never'),
    );
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(
      /^vae: loadImageFolder: .*picture-30\.jpg is 16 x 16 pixels .* pass `side`/,
    );
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const none = await vae(
      'train',
      '--data',
      empty,
      ...FAST,
      '--quiet',
      '--out',
      join(root, 'never'),
    );
    expect(none.stderr).toMatch(
      /^vae: loadImageFolder: expected at least one \.png, \.jpg or \.jpeg file in .*empty, found none/,
    );
  });
});

describe('a .npy file of float data and the emoji', () => {
  it('trains an MLP with a Gaussian likelihood on float32 [n, 6] and evaluates it', async () => {
    const random = seededUniform(5);
    const values = Float32Array.from({ length: 200 * 6 }, () => random() * 2 - 1);
    const path = join(root, 'points.npy');
    writeNpy(path, values, [200, 6]);
    const out = join(root, 'npy-run');
    const result = await vae(
      'train',
      '--data',
      path,
      '--epochs',
      '2',
      '--hidden',
      '16',
      ...FAST,
      '--quiet',
      '--out',
      out,
    );
    expect(result.code, result.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect([config.preset, config.likelihood, config.itemShape, config.limit]).toEqual([
      'mlp',
      'gaussian',
      [6],
      180,
    ]);
    const evaluation = await vae('eval', out, '--k', '5', '--json', '--quiet', '--backend', 'wasm');
    expect(evaluation.code, evaluation.stderr).toBe(0);
    expect((JSON.parse(evaluation.stdout) as { examples: number }).examples).toBe(20);
    const sample = await vae('sample', out, '--quiet', '--backend', 'wasm');
    expect(sample.stderr).toBe(
      'vae: sample: examples of shape [6] are not images; nothing to draw\n',
    );
  }, 120_000);

  it('trains on a few emoji: 30x30x3 colour images, conv and discretized logistic by default', async () => {
    const out = join(root, 'emoji-run');
    const result = await vae(
      'train',
      '--data',
      'emoji',
      '--limit',
      '32',
      '--test-limit',
      '8',
      '--epochs',
      '1',
      ...FAST,
      '--out',
      out,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(
      /^loading Twemoji colour images \.\.\. 32 training and 8 test images of 30x30x3, 8-bit/m,
    );
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect([config.data, config.preset, config.likelihood, config.coupled]).toEqual([
      { source: 'emoji' },
      'conv',
      'logistic-mixture',
      true,
    ]);
    expect(colourful(join(out, 'samples.png'))).toBe(true);
  }, 180_000);
});
