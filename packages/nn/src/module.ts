import * as tf from '@tensorflow/tfjs-core';
import { assignByName, VaeError } from '@vae/divergence';
import { claimParameters } from './internal/parameter-budget.js';
import type { ModuleConfig, ModuleSpec } from './serialization/module-spec.js';

/** What `model.json` records of a model: its architecture as data, no weights. */
export interface ModelTopology {
  /** Marks the file as a model of this package. */
  format: 'vae-model';
  /** The format version (2: a tree of module specs). */
  version: 2;
  /** The model's architecture: its class and config, recursively. */
  model: ModuleSpec;
}

/**
 * Options of a forward pass, for the modules that take them (`Linear`, `Sequential`,
 * the encoders, `MADE`); others ignore them.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { type CallOptions, Linear } from '@vae/nn';
 * const forData: CallOptions = { inputGradient: false };
 * const layer = new Linear({ inFeatures: 4, outFeatures: 2, seed: 1 });
 * const y = tf.tidy(() => layer.call(tf.ones([3, 4]), forData)); // [3, 2]
 * y.dispose();
 * ```
 */
export interface CallOptions {
  /**
   * Whether backpropagation computes the gradient with respect to the input (default
   * true). False when the input is data, whose gradient nobody reads: a first
   * `Linear` then skips its input-gradient product, and on wasm binary data is
   * summed row by row instead of multiplied (the same floats). A layer built with
   * `inputGradient: false` never computes it, whatever the call says. A gradient
   * with respect to an input passed with `false` is unavailable.
   */
  inputGradient?: boolean;
}

/**
 * Base class of every network piece: owns named `tf.Variable` parameters and
 * child modules, and names them hierarchically (`encoder.body.0.weight`).
 *
 * `call(input)` is the raw forward pass: it creates its intermediates in the
 * caller's scope (use it inside `tf.tidy`, `tf.variableGrads` or another
 * module). `apply(input)` wraps `call` in `tf.tidy` for tensor outputs. Neither
 * disposes `input`; the caller owns what they return.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Module } from '@vae/nn';
 * class Affine extends Module {
 *   readonly scale = this.addParameter('scale', tf.variable(tf.ones([3])));
 *   call(x: tf.Tensor) { return tf.mul(x, this.scale); }
 * }
 * const m = new Affine();
 * m.namedParameters().map(([name]) => name); // ['scale']
 * ```
 *
 * A module that can be saved has a static `className` of its own, a
 * `getConfig()` returning its constructor arguments as JSON, and a static
 * `fromConfig(config, context)`; {@link registerModule} makes it loadable by
 * name. Its weights are saved and loaded by hierarchical name
 * ({@link Module.stateDict}, {@link Module.loadStateDict}).
 */
export abstract class Module<Output = tf.Tensor> {
  readonly #parameters = new Map<string, tf.Variable>();
  readonly #children = new Map<string, Module<unknown>>();
  #disposed = false;

  /** The forward pass; see the class docs for tensor ownership. */
  abstract call(input: tf.Tensor): Output;

  /**
   * `call(input)` with {@link CallOptions}, for a caller that holds any module (a
   * `Sequential`'s layers, an encoder's body). This default ignores `options`; the
   * modules that take them (`Linear`, `Sequential`, the encoders, `MADE`) pass them on.
   *
   * @example
   * ```ts
   * import '@tensorflow/tfjs-backend-cpu';
   * import * as tf from '@tensorflow/tfjs-core';
   * import { Activation, Linear, type Module } from '@vae/nn';
   * const layers: Module[] = [new Linear({ inFeatures: 4, outFeatures: 2, seed: 1 }), new Activation('relu')];
   * const y = tf.tidy(() =>
   *   layers.reduce((h, layer) => layer.callWithOptions(h, { inputGradient: false }), tf.ones([3, 4])),
   * ); // [3, 2]; the Linear takes the options, the activation ignores them
   * y.dispose();
   * ```
   */
  callWithOptions(input: tf.Tensor, _options?: CallOptions): Output {
    return this.call(input);
  }

  /** `call` inside `tf.tidy`: intermediates are freed, the output is the caller's. */
  apply(this: Module<tf.Tensor>, input: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.call(input));
  }

  /**
   * Creates and registers a parameter of `shape` from `initialValue()` (called
   * once; the module owns the variable). Prefer it to `addParameter`: when a
   * model is loaded from a file, the size is checked against what the file
   * holds before anything is allocated.
   */
  protected createParameter(
    name: string,
    shape: readonly number[],
    initialValue: () => tf.Tensor,
  ): tf.Variable {
    claimParameters(`${this.constructor.name}.${name}`, shape);
    const variable = tf.tidy(() => tf.variable(initialValue()));
    return this.addParameter(name, variable);
  }

  /** Registers `variable` under `name` (unique among this module's parameters and children). */
  protected addParameter<V extends tf.Variable>(name: string, variable: V): V {
    this.#checkName(name);
    this.#parameters.set(name, variable);
    return variable;
  }

  /** Registers a child module under `name`; its parameters are named `name.<child name>`. */
  protected addModule<M extends Module<unknown>>(name: string, module: M): M {
    this.#checkName(name);
    this.#children.set(name, module);
    return module;
  }

  #checkName(name: string): void {
    if (
      name === '' ||
      name.includes('.') ||
      this.#parameters.has(name) ||
      this.#children.has(name)
    ) {
      throw new VaeError(
        'INVALID_ARGUMENT',
        `Module: parameter or child name must be unique, non-empty and without '.', got '${name}'`,
      );
    }
  }

  /** `[hierarchical name, variable]` pairs in registration order, depth first. */
  namedParameters(prefix = ''): [string, tf.Variable][] {
    const out: [string, tf.Variable][] = [];
    for (const [name, variable] of this.#parameters) out.push([prefix + name, variable]);
    for (const [name, child] of this.#children) {
      out.push(...child.namedParameters(`${prefix}${name}.`));
    }
    return out;
  }

  /** Every parameter of this module and its children, in `namedParameters` order. */
  parameters(): tf.Variable[] {
    return this.namedParameters().map(([, variable]) => variable);
  }

  /** The parameters an optimizer should update (those created with `trainable = true`). */
  get trainableVariables(): tf.Variable[] {
    return this.parameters().filter((variable) => variable.trainable);
  }

  /** Named child modules, in registration order. */
  children(): [string, Module<unknown>][] {
    return [...this.#children];
  }

  /** Total number of scalar parameters. */
  get parameterCount(): number {
    return this.parameters().reduce((sum, variable) => sum + variable.size, 0);
  }

  /**
   * The constructor arguments that rebuild this module, as JSON (children as
   * nested `child.spec()`). Modules that can be saved override it; the default
   * throws `VaeError('UNSUPPORTED')`.
   */
  getConfig(): ModuleConfig {
    throw new VaeError(
      'UNSUPPORTED',
      `${this.constructor.name} cannot be saved: give it a static \`className\`, a getConfig() and a static fromConfig(), and register it with registerModule`,
    );
  }

  /**
   * This module's architecture as data: its class's registered name and
   * {@link Module.getConfig}. Throws `VaeError('UNSUPPORTED')` naming the class
   * when the class has no `className` of its own (a subclass is never saved as
   * its parent).
   */
  spec(): ModuleSpec {
    const moduleClass = this.constructor as { className?: unknown; name: string };
    if (!Object.hasOwn(moduleClass, 'className') || typeof moduleClass.className !== 'string') {
      throw new VaeError(
        'UNSUPPORTED',
        `${moduleClass.name} cannot be saved: it has no static \`className\` of its own (register it with registerModule)`,
      );
    }
    return { class: moduleClass.className, config: this.getConfig() };
  }

  /** The `model.json` topology of this module: `{ format: 'vae-model', version: 2, model: spec() }`. */
  architecture(): ModelTopology {
    return { format: 'vae-model', version: 2, model: this.spec() };
  }

  /**
   * Every parameter by hierarchical name (`encoder.body.0.weight`), trainable or
   * not: the state that saving writes and loading restores. The variables are
   * the module's own (borrowed).
   */
  stateDict(): Map<string, tf.Variable> {
    return new Map(this.namedParameters());
  }

  /**
   * Assigns `state` to the parameters by name (torch's `load_state_dict`). Strict
   * by default: a missing, unexpected or mis-shaped name throws
   * `VaeError('CHECKPOINT_MISMATCH')` listing them all, and nothing is assigned.
   * `state` stays the caller's.
   */
  loadStateDict(
    state: ReadonlyMap<string, tf.Tensor> | tf.NamedTensorMap,
    options: { strict?: boolean; source?: string } = {},
  ): void {
    assignByName(this.namedParameters(), state, {
      strict: options.strict ?? true,
      source: options.source ?? 'the state',
    });
  }

  /** Frees every parameter of this module and its children; calling it twice is harmless. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const variable of this.#parameters.values()) variable.dispose();
    for (const child of this.#children.values()) child.dispose();
  }
}
