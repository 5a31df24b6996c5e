/** Where the generated TypeScript of `watPath` goes (src/internal/NAME-wasm.ts). */
export function outputPathOf(watPath: string): string;
/** The text of the generated TypeScript file for `watPath`. */
export function compileWat(watPath: string): Promise<string>;
