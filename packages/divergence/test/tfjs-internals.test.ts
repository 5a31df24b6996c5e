// The contract of src/internal/tfjs-internals.ts: what @vae/divergence relies on in
// tfjs-core and tfjs-backend-wasm beyond their public APIs, checked against the installed version. A failure
// names the tfjs version and what changed (see the peer ranges in package.json).
import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeaks, tfjsContract, thrownBy } from '@vae/test-kit';
import { describe, expect, it } from 'vitest';
import {
  importAllGradients,
  registerOpKernel,
  runKernel,
  wasmHeapOf,
} from '../src/internal/tfjs-internals.js';

const contract = tfjsContract('@vae/divergence');

/** A kernel whose kernelFunc returns a list gives a list. */
function first(outputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(outputs) ? outputs[0]! : outputs;
}

describe('tfjs internals @vae/divergence relies on', () => {
  it('runs a kernel registered by name through tf.engine().runKernel, with its attributes', () => {
    contract(
      typeof tf.engine().runKernel === 'function',
      'tf.engine().runKernel',
      'running the kernels of kernelOp (cholesky, triangularSolve)',
    );
    let received: unknown;
    registerOpKernel('VaeContractScale', tf.getBackend(), (inputs, attrs) => {
      received = inputs.x;
      return [tf.mul(inputs.x!, attrs.factor as number)];
    });
    const x = tf.tensor1d([1, 2]);
    const y = first(runKernel('VaeContractScale', { x }, { factor: 3 }));
    contract(
      received === x,
      'what a kernelFunc receives (the tensors given to runKernel)',
      'kernels built from tfjs ops',
    );
    contract(y instanceof tf.Tensor, 'what runKernel returns', 'kernelOp');
    expect(Array.from(y!.dataSync())).toEqual([3, 6]);
    tf.dispose([x, y!]);
  });

  it('records a registered kernel as one tape node: its own ops off the tape, its gradient config on it', () => {
    registerOpKernel('VaeContractSquare', tf.getBackend(), ({ x }) => [
      // Greater has no gradient: were it taped, tf.grad would throw.
      tf.mul(tf.cast(tf.greater(x!, 0), 'float32'), tf.square(x!)),
    ]);
    tf.registerGradient({
      kernelName: 'VaeContractSquare',
      inputsToSave: ['x'],
      outputsToSave: [true],
      gradFunc: (dy, saved) => {
        const [x, y] = saved as [tf.Tensor, tf.Tensor];
        return { x: () => tf.add(tf.mul(dy as tf.Tensor, tf.mul(2, x)), tf.mul(0, y)) };
      },
    });
    const f = (x: tf.Tensor) => tf.sum(first(runKernel('VaeContractSquare', { x })));
    let gradient: tf.Tensor | undefined;
    const error = thrownBy(() => {
      gradient = tf.grad(f)(tf.tensor1d([1, 3]));
    });
    contract(
      error === undefined,
      `the gradient tape around kernels (${error})`,
      'kernelOp: ops inside a kernel are not recorded, the registered gradient is',
    );
    expect(Array.from(gradient!.dataSync())).toEqual([2, 6]);
    gradient!.dispose();
  });

  it("saves a kernel's tensors for the gradient after the IS_TEST leak check, and frees them", async () => {
    const flag = tf.env().getBool('IS_TEST');
    tf.env().set('IS_TEST', true);
    try {
      registerOpKernel('VaeContractIntermediates', tf.getBackend(), ({ x }) => [
        tf.add(tf.exp(x!), tf.square(x!)),
      ]);
      tf.registerGradient({
        kernelName: 'VaeContractIntermediates',
        inputsToSave: ['x'],
        gradFunc: (dy, [x]) => ({
          x: () => tf.mul(dy as tf.Tensor, tf.add(tf.exp(x!), tf.mul(2, x!))),
        }),
      });
      const x = tf.tensor1d([0.5, -1]);
      await expectNoLeaks(() => {
        const error = thrownBy(() =>
          tf.dispose(
            tf.grad((t: tf.Tensor) =>
              tf.sum(first(runKernel('VaeContractIntermediates', { x: t }))),
            )(x),
          ),
        );
        contract(
          error === undefined,
          `the IS_TEST kernel leak check (${error})`,
          'kernelOp under the test setup',
        );
      });
      x.dispose();
    } finally {
      tf.env().set('IS_TEST', flag);
    }
  });

  it("finds the wasm backend's memory, where a tensor's data lives, and allocates outputs there", async () => {
    const active = tf.getBackend();
    await tf.setBackend('wasm');
    try {
      const heap = wasmHeapOf(tf.backend());
      contract(
        heap !== undefined,
        "tfjs-backend-wasm's BackendWasm (wasm.wasmMemory or an exported Memory, dataIdMap, makeOutput)",
        'the SIMD kernels of wasmKernels (FusedAdam, the layers of @vae/nn)',
      );
      const x = tf.tensor1d([1.5, -2, 3]);
      const seen = Array.from(new Float32Array(heap!.memory.buffer, heap!.offsetOf(x), 3));
      contract(
        seen.join() === '1.5,-2,3',
        'dataIdMap.get(dataId).memoryOffset (gave a place that does not hold the tensor)',
        'reading and writing tensors in place',
      );
      const output = heap!.makeOutput([2], 'float32');
      new Float32Array(heap!.memory.buffer, heap!.offsetOf(output), 2).set([7, 8]);
      const y = tf.engine().makeTensorFromTensorInfo(output);
      expect(Array.from(y.dataSync())).toEqual([7, 8]);
      tf.dispose([x, y]);
      expect(wasmHeapOf({})).toBeUndefined();
    } finally {
      await tf.setBackend(active);
    }
  });

  it('ships dist/register_all_gradients.js, which registers every gradient as it loads', async () => {
    let error: unknown;
    try {
      await importAllGradients();
    } catch (caught) {
      error = caught;
    }
    contract(
      error === undefined && tf.getGradient('BatchMatMul') != null,
      `@tensorflow/tfjs-core/dist/register_all_gradients.js (${String(error)})`,
      'ensureGradients (the plain-Node path is checked in ensure-gradients.node.test.ts)',
    );
  });
});
