/** The text of src/internal/fused-adam-wasm.ts, compiled from wat/fused-adam.wat. */
export function compileKernels(): Promise<string>;
