// Files in and out: the user's pictures (dropped or picked, files or a folder)
// to train on, and models: save and load in this browser (IndexedDB), download,
// and load picked or dropped files, including a whole `vae train` run folder.
import { app, exportModel, loadModel, message, saveModel, useData } from '../app.ts';
import type { ModelArtifactsData } from '../shared/protocol.ts';
import { byId, errorText } from './dom.ts';

/** A file and its path inside a picked or dropped folder (its name otherwise). */
interface PickedFile {
  file: File;
  path: string;
}

const IMAGE_NAME = /\.(png|jpe?g|gif|webp|bmp|avif)$/i;

function isImage(file: File): boolean {
  return file.type.startsWith('image/') || IMAGE_NAME.test(file.name);
}

function fromInput(input: HTMLInputElement): PickedFile[] {
  return [...(input.files ?? [])].map((file) => ({
    file,
    path: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name,
  }));
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

/** Every file under a dropped entry, folders walked (readEntries answers in pages). */
async function walk(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    out.push({ file, path });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (let page = await readEntries(reader); page.length > 0; page = await readEntries(reader)) {
    for (const child of page) await walk(child, out);
  }
}

async function fromDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries = [...transfer.items]
    .map((item) => item.webkitGetAsEntry?.() ?? null)
    .filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) return [...transfer.files].map((file) => ({ file, path: file.name }));
  const out: PickedFile[] = [];
  for (const entry of entries) await walk(entry, out);
  return out;
}

function dropZone(id: string, onFiles: (files: PickedFile[]) => void): void {
  const zone = byId(id);
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    if (app.training !== undefined) {
      message('Stop training before loading files.');
      return;
    }
    const transfer = event.dataTransfer;
    if (transfer === null) return;
    fromDrop(transfer).then(onFiles, (error: unknown) =>
      message(`Reading the dropped files: ${errorText(error)}`),
    );
  });
}

async function trainOnImages(picked: PickedFile[]): Promise<void> {
  const files = picked.map((p) => p.file).filter(isImage);
  if (files.length === 0) {
    const names =
      picked
        .slice(0, 5)
        .map((p) => p.path)
        .join(', ') || 'nothing';
    throw new Error(`no pictures among ${names} (PNG, JPEG, GIF, WebP, BMP or AVIF)`);
  }
  const side = Number(byId<HTMLSelectElement>('image-side').value);
  const channels = Number(byId<HTMLSelectElement>('image-channels').value) as 1 | 3;
  await useData({ kind: 'images', files, side, channels });
  message(`Training data: ${app.data?.description ?? ''}.`, 'info');
}

function loadFiles(picked: PickedFile[]): Promise<void> {
  return loadModel({
    kind: 'files',
    files: picked.map((p) => p.file),
    paths: picked.map((p) => p.path),
  });
}

/** Runs an action with a message saying it is done, or what went wrong. */
async function guarded(what: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
    message(`${what}: done`, 'info');
  } catch (error) {
    message(`${what} failed: ${errorText(error)}`);
  }
}

/** Saves the two files of tfjs's format: `vae-web.json` (manifest) and `vae-web.weights.bin`. */
function download(artifacts: ModelArtifactsData): void {
  const manifest = {
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['./vae-web.weights.bin'], weights: artifacts.weightSpecs }],
  };
  const files: [string, Blob][] = [
    ['vae-web.json', new Blob([JSON.stringify(manifest)], { type: 'application/json' })],
    ['vae-web.weights.bin', new Blob([artifacts.weightData], { type: 'application/octet-stream' })],
  ];
  for (const [name, blob] of files) {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }
}

export function initFilesView(): void {
  const onImages = (picked: PickedFile[]) =>
    trainOnImages(picked).catch((error: unknown) => message(`Your images: ${errorText(error)}`));
  const onWeights = (picked: PickedFile[]) => void guarded('Load weights', () => loadFiles(picked));
  for (const id of ['image-files', 'image-folder', 'weights-file', 'weights-folder']) {
    const input = byId<HTMLInputElement>(id);
    input.addEventListener('change', () => {
      const picked = fromInput(input);
      input.value = '';
      if (picked.length === 0) return;
      if (id.startsWith('image')) void onImages(picked);
      else onWeights(picked);
    });
  }
  dropZone('image-drop', (picked) => void onImages(picked));
  dropZone('weights-drop', onWeights);
  byId('save-idb').addEventListener('click', () => void guarded('Save in this browser', saveModel));
  byId('load-idb').addEventListener(
    'click',
    () => void guarded('Load from this browser', () => loadModel({ kind: 'indexeddb' })),
  );
  byId('download').addEventListener(
    'click',
    () => void guarded('Download', async () => download(await exportModel())),
  );
}
