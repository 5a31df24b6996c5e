// `vae eval`'s memory defaults, apart from the code that measures memory so that
// the command's help loads without tfjs.

/** Samples per example decoded at once when `--chunk` is not given and they fit. */
export const DEFAULT_CHUNK = 100;

/** `--max-memory` when not given, in MiB: half of wasm's 4 GiB address space. */
export const DEFAULT_MAX_MEMORY_MIB = 2048;
