import { VaeError } from '@vae/divergence';
import type { JsonValue, ModuleConfig } from './module-spec.js';

/** The largest size one axis of a layer may declare in a loaded configuration. */
const MAX_AXIS = 2 ** 24;

/**
 * Reads and checks the fields of a module's configuration when a model is
 * loaded: each getter returns the field or throws `VaeError('CHECKPOINT_CORRUPT')`
 * naming the module class, the field and what was found. Every `fromConfig` of
 * the built-in modules reads through it; use it in your own.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { ConfigReader } from '@vae/nn';
 * const read = new ConfigReader({ inFeatures: 4, bias: true }, 'Linear');
 * read.positiveInteger('inFeatures'); // 4
 * read.boolean('bias', true); // true
 * ```
 */
export class ConfigReader {
  readonly #config: ModuleConfig;
  readonly #owner: string;

  /** @param owner The class being built, for messages (`'Linear'`). */
  /**
   * Reads a module's config with typed, checked accessors.
   *
   * @param config - The config a module's `spec()` wrote.
   * @param owner - The module name, used in error messages.
   */
  constructor(config: ModuleConfig, owner: string) {
    this.#config = config;
    this.#owner = owner;
  }

  #fail(field: string, expected: string, value: unknown): never {
    const shown = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 80);
    throw new VaeError(
      'CHECKPOINT_CORRUPT',
      `${this.#owner}: \`${field}\` must be ${expected}, got ${shown}`,
    );
  }

  /** The raw field (a nested spec, say), or undefined when absent. */
  value(field: string): JsonValue | undefined {
    return Object.hasOwn(this.#config, field) ? this.#config[field] : undefined;
  }

  /** A positive integer no larger than 2^24 (an axis size). */
  positiveInteger(field: string, fallback?: number): number {
    const value = this.value(field) ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_AXIS) {
      this.#fail(field, `an integer in [1, ${MAX_AXIS}]`, value);
    }
    return value;
  }

  /** A finite number. */
  number(field: string, fallback?: number): number {
    const value = this.value(field) ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value))
      this.#fail(field, 'a finite number', value);
    return value;
  }

  /** A boolean. */
  boolean(field: string, fallback?: boolean): boolean {
    const value = this.value(field) ?? fallback;
    if (typeof value !== 'boolean') this.#fail(field, 'true or false', value);
    return value;
  }

  /** One of `choices`. */
  choice<T extends string>(field: string, choices: readonly T[], fallback?: T): T {
    const value = this.value(field) ?? fallback;
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      this.#fail(field, `one of ${choices.map((c) => `'${c}'`).join(', ')}`, value);
    }
    return value as T;
  }

  /** A list of positive integers (a shape or layer widths), at most `maxLength` long. */
  shape(field: string, options: { maxLength?: number; allowEmpty?: boolean } = {}): number[] {
    const value = this.value(field);
    const maxLength = options.maxLength ?? 16;
    const ok =
      Array.isArray(value) &&
      value.length <= maxLength &&
      (options.allowEmpty === true || value.length > 0) &&
      value.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= MAX_AXIS);
    if (!ok)
      this.#fail(field, `a list of at most ${maxLength} integers in [1, ${MAX_AXIS}]`, value);
    return [...(value as number[])];
  }

  /** A list (of nested specs, say), at most `maxLength` long. */
  list(field: string, maxLength = 4096): JsonValue[] {
    const value = this.value(field);
    if (!Array.isArray(value) || value.length > maxLength) {
      this.#fail(field, `a list of at most ${maxLength} items`, value);
    }
    return value;
  }
}
