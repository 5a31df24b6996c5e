// Tutorial: your own images, end to end.
//   pnpm --filter @vae/example-own-data start [--folder DIR | --count 200] [--side N] [--epochs 100] [--out own-data.png]
// Without --folder it writes --count pictures (default 200) of discs and squares into a temporary folder first.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { useBackend } from '@vae/backends';
import { writeShapeImages } from './shapes.js';
import { runTutorial } from './tutorial.js';

const { values } = parseArgs({
  options: {
    folder: { type: 'string' },
    count: { type: 'string', default: '200' },
    side: { type: 'string' },
    epochs: { type: 'string', default: '100' },
    out: { type: 'string', default: 'own-data.png' },
  },
});
const backend = await useBackend('wasm');
console.log(`backend ${backend.name}`);

let folder = values.folder;
if (folder === undefined) {
  // 1. A folder of images: here synthetic ones; point --folder at your own instead.
  folder = join(mkdtempSync(join(tmpdir(), 'own-data-')), 'images');
  const files = writeShapeImages(folder, { count: Number(values.count), side: 16, seed: 0 });
  console.log(`wrote ${files.length} PNG files to ${folder}`);
}
const started = performance.now();
await runTutorial({
  folder,
  out: values.out,
  epochs: Number(values.epochs),
  ...(values.side === undefined ? {} : { side: Number(values.side) }),
  seed: 0,
  log: (line) => console.log(line),
});
console.log(`(${((performance.now() - started) / 1000).toFixed(0)} s)`);
