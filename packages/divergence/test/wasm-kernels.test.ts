import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks } from '@vae/test-kit';
import { beforeAll, describe, expect, it } from 'vitest';
import wabtFactory from 'wabt';
import { type WasmBinaries, wasmKernel, wasmKernels } from '../src/kernels.js';

// to[i] = 2 * from[i] over n floats, and the first float at an offset.
const DOUBLE = `(module MEMORY
  (func (export "first") (param $p i32) (result f32) (f32.load (local.get $p)))
  (func (export "double") (param $from i32) (param $to i32) (param $n i32) (local $i i32)
    (block $done (loop $next (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (f32.store (i32.add (local.get $to) (i32.shl (local.get $i) (i32.const 2)))
        (f32.mul (f32.const 2)
          (f32.load (i32.add (local.get $from) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))))`;

interface Exports {
  first(offset: number): number;
  double(from: number, to: number, n: number): void;
}

let binaries: WasmBinaries;
const onWasm = process.env.VAE_TEST_BACKEND === 'wasm';

beforeAll(async () => {
  const wabt = await wabtFactory();
  const compile = (memory: string) => {
    const module = wabt.parseWat('double.wat', DOUBLE.replace('MEMORY', memory), {
      threads: true,
    });
    const bytes = module.toBinary({}).buffer;
    module.destroy();
    return btoa(String.fromCharCode(...bytes));
  };
  binaries = {
    plain: compile('(import "env" "memory" (memory 1))'),
    shared: compile('(import "env" "memory" (memory 1 65536 shared))'),
  };
});

describe('wasmKernels and wasmKernel', () => {
  it('run our module on the tensors where the wasm backend keeps them, and nowhere else', () => {
    const x = tf.tensor1d([4, 5, -1.5]);
    const kernels = wasmKernels<Exports>(binaries);
    expect(kernels !== undefined).toBe(onWasm);
    if (kernels !== undefined) expect(kernels.exports.first(kernels.offsetOf(x))).toBe(4);
    x.dispose();
  });

  it('make a kernel whose outputs are ordinary tensors, without leaks', async () => {
    const double = wasmKernel<Exports>(binaries, 'VaeTestDouble', (context, { x }, _attrs) => {
      const y = context.output(x!.shape);
      context.exports.double(context.offsetOf(x!), context.offsetOf(y), x!.shape[0]!);
      return [y];
    });
    const x = tf.tensor1d([1, -2, 3.5]);
    await expectNoLeaks(() => {
      const outputs = double({ x }, {});
      expect(outputs !== undefined).toBe(onWasm);
      if (outputs !== undefined) {
        expect(Array.from(outputs[0]!.dataSync())).toEqual([2, -4, 7]);
        tf.dispose(outputs);
      }
    });
    x.dispose();
  });
});
