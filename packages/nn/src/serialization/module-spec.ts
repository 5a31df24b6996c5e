/**
 * A JSON value: what a module's configuration may hold.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { JsonValue } from '@vae/nn';
 * const value: JsonValue = { hidden: [400], activation: 'relu', bias: true };
 * ```
 */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };

/**
 * A module's configuration: the constructor arguments that rebuild it, without
 * weights. Child modules appear as nested {@link ModuleSpec}s.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { ModuleConfig } from '@vae/nn';
 * const config: ModuleConfig = { inFeatures: 784, outFeatures: 400, bias: true };
 * ```
 */
export type ModuleConfig = { [key: string]: JsonValue };

/**
 * The architecture of one module as data: the name its class is registered
 * under and its configuration. A whole model is one spec whose configuration
 * nests its children's specs; `model.json` holds it.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import type { ModuleSpec } from '@vae/nn';
 * const spec: ModuleSpec = { class: 'Linear', config: { inFeatures: 2, outFeatures: 3, bias: true } };
 * ```
 */
export type ModuleSpec = {
  /** The name the class is registered under (`className`). */
  class: string;
  /** What the class's `fromConfig` rebuilds the module from. */
  config: ModuleConfig;
};
