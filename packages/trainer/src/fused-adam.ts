import * as tf from '@tensorflow/tfjs-core';
import { ensureArgument, VaeError } from '@vae/divergence';
import { wasmAdamStep, wasmKernelsAvailable, wasmSumOfSquares } from './internal/wasm-adam.js';

/**
 * Options of {@link FusedAdam} (the defaults are `tf.train.adam`'s).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { FusedAdam, type FusedAdamOptions } from '@vae/trainer';
 *
 * const options: FusedAdamOptions = { beta1: 0.9, beta2: 0.999 };
 * const optimizer = new FusedAdam(1e-3, options);
 * console.log(optimizer.beta2); // -> 0.999
 * ```
 */
export interface FusedAdamOptions {
  /** Decay of the first-moment estimate (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment estimate (default 0.999). */
  beta2?: number;
  /** Added to the root of the second moment (default: the backend's epsilon, as `tf.train.adam`). */
  epsilon?: number;
  /**
   * The variables it updates, for {@link FusedAdam.applyGradients} with gradients by
   * name. Not needed with `trainStep`/`fit` or `minimize(f, returnCost, varList)`, which
   * hand it the variables themselves.
   */
  variables?: readonly tf.Variable[];
}

/** `tf.NamedTensor`, which tfjs-core does not export from its root. */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

interface Layout {
  names: string[];
  shapes: number[][];
  sizes: number[];
  /** Which group each variable's moments live in, and where in it. */
  group: number[];
  offset: number[];
  /** The variables of each group, and its length. */
  members: number[][];
  groupSizes: number[];
}

/**
 * With tfjs ops, variables this large get a group of their own and the rest share
 * one: fewer kernel calls, and slicing a tensor on wasm copies the whole input, so
 * slicing small variables out of one big flat tensor would cost a copy each. With
 * the SIMD kernels every variable is a group: one call each, nothing to slice.
 */
const OWN_GROUP_SIZE = 1 << 16;

function layoutOf(variables: readonly tf.Variable[], ownGroupSize: number): Layout {
  const layout: Layout = {
    names: variables.map((v) => v.name),
    shapes: variables.map((v) => [...v.shape]),
    sizes: variables.map((v) => v.size),
    group: [],
    offset: [],
    members: [],
    groupSizes: [],
  };
  let shared: number | undefined;
  variables.forEach((v, i) => {
    let g: number;
    if (v.size >= ownGroupSize) {
      g = layout.members.length;
      layout.members.push([]);
      layout.groupSizes.push(0);
    } else {
      if (shared === undefined) {
        shared = layout.members.length;
        layout.members.push([]);
        layout.groupSizes.push(0);
      }
      g = shared;
    }
    layout.group.push(g);
    layout.offset.push(layout.groupSizes[g]!);
    layout.members[g]!.push(i);
    layout.groupSizes[g]! += v.size;
  });
  return layout;
}

/** Gradients packed by {@link FusedAdam.packGradients}, one flat tensor per group. */
export interface PackedGradients {
  /** The gradients concatenated, one flat tensor per group of variables. */
  groups: tf.Tensor1D[];
  /**
   * The squares of `groups`, which the norm and the second moment both use; empty
   * on wasm, where a SIMD kernel sums the squares and the Adam kernel squares itself.
   */
  squared: tf.Tensor1D[];
  /** Sum of all squares: the squared global norm. */
  normSquared: tf.Scalar;
}

/**
 * Adam (Kingma & Ba) that keeps the moments of all variables in two flat
 * tensors and updates them with about 30 kernel calls per step, whatever the
 * number of variables: `tf.train.adam` runs about 13 per variable, and on the
 * wasm and cpu backends the per-call overhead adds up to a large share of a
 * small model's step. Same update as `tf.train.adam`, written as
 * w -= lr·√(1-β₂ᵗ)/(1-β₁ᵗ) · m / (√v + ε·√(1-β₂ᵗ)), which is algebraically the
 * bias-corrected form.
 *
 * Its class name and weights are `tf.train.adam`'s (`iter`, then `<variable>/m`
 * for each variable, then `<variable>/v`), so checkpoints move between the two.
 * {@link trainStep} hands it the gradients already concatenated.
 *
 * A variable that gets no gradient in a step keeps its value; its moments decay
 * as for a zero gradient (`tf.train.adam` leaves them unchanged).
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { FusedAdam, fit } from '@vae/trainer';
 *
 * const w = tf.variable(tf.zeros([2]));
 * const model = { trainableVariables: [w] };
 * const data = tf.ones([64, 2]);
 * const loss = (x: tf.Tensor) => tf.mean(tf.square(tf.sub(x, w)));
 * const optimizer = new FusedAdam(0.1);
 * await fit(model, data, { loss, optimizer, epochs: 25, batchSize: 16 });
 * console.log(Array.from(w.dataSync(), (v) => v.toFixed(1))); // -> [ '1.0', '1.0' ]
 * optimizer.dispose(); // yours to dispose, with its moments
 * ```
 */
export class FusedAdam extends tf.Optimizer {
  /** Registered as `'Adam'`: the same weights as `tf.train.adam`. */
  static get className(): string {
    return 'Adam';
  }

  /** The step size; `fit` sets it before each step from its schedule. */
  learningRate: number;
  /** Decay of the first moment (the mean of the gradients). */
  readonly beta1: number;
  /** Decay of the second moment (the mean of the squared gradients). */
  readonly beta2: number;
  /** Added to the root of the second moment, for stability. */
  readonly epsilon: number;
  private layout: Layout | undefined;
  private firstMoments: tf.Variable<tf.Rank.R1>[] = [];
  private secondMoments: tf.Variable<tf.Rank.R1>[] = [];
  /** Moments restored by `setWeights` before the first step told us the variables. */
  private pending: { m: NamedTensor[]; v: NamedTensor[] } | undefined;
  /** The variables it was handed (options, `minimize`, a step), by name. */
  private readonly known = new Map<string, tf.Variable>();

  /**
   * An Adam optimizer with flat moments, the same update as `tf.train.adam`.
   *
   * @param learningRate - The step size (positive); `fit` sets it each step from its schedule.
   * @param options - `beta1`, `beta2` and `epsilon`, as `tf.train.adam` takes them.
   */
  constructor(learningRate: number, options: FusedAdamOptions = {}) {
    super();
    const { beta1 = 0.9, beta2 = 0.999 } = options;
    ensureArgument(
      Number.isFinite(learningRate) && learningRate >= 0,
      () => `FusedAdam: \`learningRate\` must be a finite number >= 0, got ${learningRate}`,
    );
    for (const [name, value] of [
      ['beta1', beta1],
      ['beta2', beta2],
    ] as const) {
      ensureArgument(
        value >= 0 && value < 1,
        () => `FusedAdam: \`${name}\` must be in [0, 1), got ${value}`,
      );
    }
    const epsilon = options.epsilon ?? tf.backend().epsilon();
    ensureArgument(epsilon > 0, () => `FusedAdam: \`epsilon\` must be positive, got ${epsilon}`);
    this.learningRate = learningRate;
    for (const variable of options.variables ?? []) this.known.set(variable.name, variable);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  /**
   * Applies one step from a map (or list) of gradients by variable name, as any
   * `tf.Optimizer`. The names must be of variables it was handed: by the `variables`
   * option, `minimize(f, returnCost, varList)` or an earlier step.
   */
  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const given = Array.isArray(variableGradients)
      ? new Map(variableGradients.map((g) => [g.name, g.tensor] as const))
      : new Map(Object.entries(variableGradients));
    const names = this.layout?.names ?? [...given.keys()];
    const variables = names.map((name) => this.variableNamed(name));
    const gradients = variables.map((v) => given.get(v.name) ?? undefined);
    const packed = this.packGradients(variables, gradients);
    try {
      this.applyPackedGradients(variables, packed, {
        skip: new Set(names.filter((_, i) => gradients[i] == null)),
      });
    } finally {
      tf.dispose([...packed.groups, ...packed.squared, packed.normSquared]);
    }
  }

  /**
   * Concatenates the gradients of `variables` (in that order; `undefined` counts as
   * zeros) into this optimizer's groups, with their squares and the squared global
   * norm. The caller disposes the result. {@link trainStep} uses it to get the norm
   * and the update from the same squares.
   */
  packGradients(
    variables: readonly tf.Variable[],
    gradients: readonly (tf.Tensor | undefined)[],
  ): PackedGradients {
    this.bind(variables);
    const layout = this.layout!;
    return tf.tidy(() => {
      const flatGradient = (i: number) => {
        const v = variables[i]!;
        return tf.reshape(gradients[i] ?? tf.zeros(v.shape, v.dtype), [v.size]);
      };
      const groups = layout.members.map((members) =>
        members.length === 1 ? flatGradient(members[0]!) : tf.concat(members.map(flatGradient)),
      ) as tf.Tensor1D[];
      if (wasmKernelsAvailable()) {
        const sums = groups.map((g) => wasmSumOfSquares(g) ?? Number.NaN);
        if (sums.every((sum) => !Number.isNaN(sum))) {
          const normSquared = tf.scalar(sums.reduce((a, b) => a + b, 0));
          return { groups, squared: [], normSquared };
        }
      }
      // g * g, not tf.square: wasm's Multiply is SIMD, its Square is not (2x slower here).
      const squared = groups.map((g) => tf.mul(g, g)) as tf.Tensor1D[];
      const sums = squared.map((g) => tf.sum(g));
      const normSquared = (sums.length === 1 ? sums[0]! : tf.addN(sums)) as tf.Scalar;
      return { groups, squared, normSquared };
    });
  }

  /**
   * One Adam step from {@link FusedAdam.packGradients}' result, the gradients scaled
   * by `scale` (clipping). Variables named in `skip` keep their values.
   */
  applyPackedGradients(
    variables: readonly tf.Variable[],
    packed: PackedGradients,
    options: { scale?: number; skip?: ReadonlySet<string> } = {},
  ): void {
    this.bind(variables);
    const layout = this.layout!;
    const { scale = 1, skip } = options;
    const t = this.iterations + 1;
    const b1t = 1 - this.beta1 ** t;
    const b2t = 1 - this.beta2 ** t;
    const stepSize = (this.learningRate * Math.sqrt(b2t)) / b1t;
    const epsilonHat = this.epsilon * Math.sqrt(b2t);
    tf.tidy(() => {
      layout.members.forEach((members, g) => {
        const m = this.firstMoments[g]!;
        const v = this.secondMoments[g]!;
        // A lone variable goes to the kernel as it is (it reads memory, not shape: the
        // output keeps the variable's shape, and no reshape runs either way).
        const groupValue = (): tf.Tensor =>
          members.length === 1
            ? variables[members[0]!]!
            : tf.concat(members.map((i) => tf.reshape(variables[i]!, [layout.sizes[i]!])));
        // The group's value is only built for the kernel (the op path adds per variable).
        const fused = wasmKernelsAvailable()
          ? wasmAdamStep(
              { w: groupValue(), g: packed.groups[g]!, m, v },
              { beta1: this.beta1, beta2: this.beta2, stepSize, epsilonHat, scale },
            )
          : undefined;
        let newValue: (i: number) => tf.Tensor;
        if (fused !== undefined) {
          const [w, newM, newV] = fused;
          m.assign(newM);
          v.assign(newV);
          newValue = (i) =>
            members.length === 1 ? w : tf.slice(w, layout.offset[i]!, layout.sizes[i]!);
        } else {
          const gradient = scale === 1 ? packed.groups[g]! : tf.mul(packed.groups[g]!, scale);
          const squared =
            packed.squared[g] === undefined
              ? tf.mul(gradient, gradient)
              : scale === 1
                ? packed.squared[g]!
                : tf.mul(packed.squared[g]!, scale * scale);
          const newM = tf.add(tf.mul(m, this.beta1), tf.mul(gradient, 1 - this.beta1));
          const newV = tf.add(tf.mul(v, this.beta2), tf.mul(squared, 1 - this.beta2));
          m.assign(newM as tf.Tensor1D);
          v.assign(newV as tf.Tensor1D);
          const update = tf.div(tf.mul(newM, -stepSize), tf.add(tf.sqrt(newV), epsilonHat));
          newValue = (i) => {
            const part =
              members.length === 1 ? update : tf.slice(update, layout.offset[i]!, layout.sizes[i]!);
            return tf.add(tf.reshape(variables[i]!, [layout.sizes[i]!]), part);
          };
        }
        for (const i of members) {
          const variable = variables[i]!;
          if (skip?.has(variable.name) === true) continue;
          const value = newValue(i);
          const shaped = tf.util.arraysEqual(value.shape, variable.shape);
          variable.assign(shaped ? value : tf.reshape(value, variable.shape));
        }
      });
    });
    this.incrementIterations();
  }

  /** `tf.Optimizer.minimize`, which also hands it `varList` for the gradients by name. */
  override minimize(
    f: () => tf.Scalar,
    returnCost = false,
    varList?: tf.Variable[],
  ): tf.Scalar | null {
    for (const variable of varList ?? []) this.known.set(variable.name, variable);
    return super.minimize(f, returnCost, varList);
  }

  override dispose(): void {
    this.releaseMoments();
    super.dispose();
  }

  private releaseMoments(): void {
    tf.dispose([...this.firstMoments, ...this.secondMoments]);
    if (this.pending !== undefined) {
      tf.dispose([...this.pending.m, ...this.pending.v].map((w) => w.tensor));
    }
    this.firstMoments = [];
    this.secondMoments = [];
    this.pending = undefined;
  }

  /** `iter`, then `<variable>/m` per variable, then `<variable>/v`: `tf.train.adam`'s layout. */
  override async getWeights(): Promise<NamedTensor[]> {
    const iterations = await this.saveIterations();
    const { layout, pending } = this;
    if (layout === undefined || this.firstMoments.length === 0) {
      if (pending === undefined) return [iterations];
      return [
        iterations,
        ...pending.m.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) })),
        ...pending.v.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) })),
      ];
    }
    const perVariable = (moments: tf.Variable<tf.Rank.R1>[], suffix: string) =>
      tf.tidy(() =>
        layout.names.map((name, i) => {
          const group = moments[layout.group[i]!]!;
          const part =
            layout.members[layout.group[i]!]!.length === 1
              ? tf.clone(group)
              : tf.slice(group, layout.offset[i]!, layout.sizes[i]!);
          return { name: `${name}/${suffix}`, tensor: tf.reshape(part, layout.shapes[i]!) };
        }),
      );
    return [
      iterations,
      ...perVariable(this.firstMoments, 'm'),
      ...perVariable(this.secondMoments, 'v'),
    ];
  }

  /** Restores what {@link FusedAdam.getWeights} (or `tf.train.adam`'s) returned. */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const moments = await this.extractIterations(weightValues);
    ensureArgument(
      moments.length % 2 === 0,
      () => `FusedAdam.setWeights: expected pairs of moments after 'iter', got ${moments.length}`,
    );
    const count = moments.length / 2;
    const copy = (w: NamedTensor) => ({ name: w.name, tensor: tf.keep(tf.clone(w.tensor)) });
    this.releaseMoments();
    // No moments (saved before the first step): a fresh start, moments made at the first step.
    if (count === 0) return;
    this.pending = { m: moments.slice(0, count).map(copy), v: moments.slice(count).map(copy) };
    if (this.layout !== undefined) this.adoptPending(this.layout);
  }

  getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
    };
  }

  private variableNamed(name: string): tf.Variable {
    const variable = this.known.get(name);
    if (variable === undefined) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `FusedAdam.applyGradients: it was not handed a variable named '${name}'; pass the variables (\`new FusedAdam(learningRate, { variables })\`, \`minimize(f, returnCost, varList)\`) or train with trainStep/fit`,
      );
    }
    return variable;
  }

  /** Fixes the variable layout at the first step and checks it at every later one. */
  private bind(variables: readonly tf.Variable[]): void {
    for (const variable of variables) this.known.set(variable.name, variable);
    if (this.layout === undefined) {
      const layout = layoutOf(variables, wasmKernelsAvailable() ? 0 : OWN_GROUP_SIZE);
      if (this.pending !== undefined) this.adoptPending(layout);
      else {
        const zeros = () =>
          layout.groupSizes.map((size) =>
            tf.tidy(() => tf.variable(tf.zeros([size]), false) as tf.Variable<tf.Rank.R1>),
          );
        this.firstMoments = zeros();
        this.secondMoments = zeros();
      }
      this.layout = layout;
      return;
    }
    const { names } = this.layout;
    const same =
      names.length === variables.length && variables.every((v, i) => v.name === names[i]);
    ensureArgument(
      same,
      () =>
        `FusedAdam: it updates the same variables in the same order at every step; it started with [${names.join(', ')}], got [${variables.map((v) => v.name).join(', ')}]`,
    );
  }

  private adoptPending(layout: Layout): void {
    const pending = this.pending!;
    const fits = (tensors: NamedTensor[]) =>
      tensors.length === layout.sizes.length &&
      tensors.every((w, i) => w.tensor.size === layout.sizes[i]);
    if (!fits(pending.m) || !fits(pending.v)) {
      throw new VaeError(
        'CHECKPOINT_MISMATCH',
        `FusedAdam: the restored moments (${pending.m.length} tensors) do not fit the ${layout.sizes.length} variables being trained`,
      );
    }
    // tf.variable shares its initial value's data; the tidy frees the initial tensor.
    const grouped = (tensors: NamedTensor[]) =>
      layout.members.map((members) =>
        tf.tidy(
          () =>
            tf.variable(
              tf.concat(members.map((i) => tf.reshape(tensors[i]!.tensor, [layout.sizes[i]!]))),
              false,
            ) as tf.Variable<tf.Rank.R1>,
        ),
      );
    this.firstMoments = grouped(pending.m);
    this.secondMoments = grouped(pending.v);
    tf.dispose([...pending.m, ...pending.v].map((w) => w.tensor));
    this.pending = undefined;
    this.layout = layout;
  }
}
