import * as tf from '@tensorflow/tfjs-core';
import { VaeError } from '@vae/divergence';

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
 * class Affine extends Module {
 *   readonly scale = this.addParameter('scale', tf.variable(tf.ones([3])));
 *   call(x: tf.Tensor) { return tf.mul(x, this.scale); }
 * }
 * const m = new Affine();
 * m.namedParameters().map(([name]) => name); // ['scale']
 * ```
 */
export abstract class Module<Output = tf.Tensor> {
  readonly #parameters = new Map<string, tf.Variable>();
  readonly #children = new Map<string, Module<unknown>>();
  #disposed = false;

  /** The forward pass; see the class docs for tensor ownership. */
  abstract call(input: tf.Tensor): Output;

  /** `call` inside `tf.tidy`: intermediates are freed, the output is the caller's. */
  apply(this: Module<tf.Tensor>, input: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.call(input));
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

  /** Frees every parameter of this module and its children; calling it twice is harmless. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const variable of this.#parameters.values()) variable.dispose();
    for (const child of this.#children.values()) child.dispose();
  }
}
