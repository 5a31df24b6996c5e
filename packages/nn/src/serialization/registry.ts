import { VaeError } from '@vae/divergence';
import type { Module } from '../module.js';
import { builtinModules } from './builtins.js';
import { ConfigReader } from './config-reader.js';
import type { JsonValue, ModuleConfig } from './module-spec.js';

type AnyModule = Module<unknown>;

/**
 * What `fromConfig` is given to build nested modules and read its fields.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Module, registerModule, type BuildContext, type ModuleConfig } from '@vae/nn';
 * class Twice extends Module {
 *   static readonly className = 'Twice';
 *   constructor(readonly inner: Module) { super(); this.addModule('inner', inner); }
 *   call(x: tf.Tensor) { return this.inner.call(this.inner.call(x)); }
 *   override getConfig() { return { inner: this.inner.spec() }; }
 *   static fromConfig(config: ModuleConfig, context: BuildContext) {
 *     return new Twice(context.build(config.inner, 'Twice.inner') as Module);
 *   }
 * }
 * registerModule(Twice);
 * ```
 */
export interface BuildContext {
  /**
   * Builds a nested spec (a child module); `where` names it in error messages.
   * With `kind`, the result must be an instance of it (else CHECKPOINT_CORRUPT).
   */
  build<M extends AnyModule = Module>(
    spec: JsonValue | undefined,
    where: string,
    kind?: abstract new (...args: never[]) => M,
  ): M;
  /** A {@link ConfigReader} over `config`, naming `owner` in messages. */
  read(config: ModuleConfig, owner: string): ConfigReader;
}

/**
 * A module class that can be rebuilt from its configuration: a static
 * `className` (the name in `model.json`) and a static `fromConfig`.
 *
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import { Linear, type ModuleClass } from '@vae/nn';
 * const linearClass: ModuleClass = Linear;
 * ```
 */
export interface ModuleClass<M extends AnyModule = AnyModule> {
  /** The name saved architectures use for the class. */
  readonly className: string;
  /** The JavaScript name of the class (for messages). */
  readonly name: string;
  /** Rebuilds a module from the config its `spec()` wrote; `context` builds its children. */
  fromConfig(config: ModuleConfig, context: BuildContext): M;
}

const registry = new Map<string, ModuleClass>();
let builtinsRegistered = false;

/** Puts the package's own classes in the registry before anything else touches it. */
function ensureBuiltins(): void {
  if (builtinsRegistered) return;
  builtinsRegistered = true;
  for (const moduleClass of builtinModules()) registry.set(moduleClass.className, moduleClass);
}

/**
 * Makes `moduleClass` loadable: `loadModel` builds a spec naming
 * `moduleClass.className` with `moduleClass.fromConfig`. Registering a second
 * class under a name already taken is an error unless `replace` is set;
 * registering the same class again is harmless.
 *
 * @param moduleClass - The class, with a static `className` and `fromConfig`.
 * @param options - `replace: true` to replace a class registered under the same name.
 * @throws `VaeError('INVALID_ARGUMENT')` when the class lacks an own static
 *   `className` or `fromConfig`, or the name is taken.
 * @example
 * ```ts
 * import '@tensorflow/tfjs-backend-cpu';
 * import * as tf from '@tensorflow/tfjs-core';
 * import { Module, registerModule } from '@vae/nn';
 * class Doubler extends Module {
 *   static readonly className = 'Doubler';
 *   call(x: tf.Tensor) { return tf.mul(x, 2); }
 *   override getConfig() { return {}; }
 *   static fromConfig() { return new Doubler(); }
 * }
 * registerModule(Doubler);
 * ```
 */
export function registerModule(
  moduleClass: ModuleClass,
  options: { replace?: boolean } = {},
): void {
  ensureBuiltins();
  const name = Object.hasOwn(moduleClass, 'className') ? moduleClass.className : undefined;
  if (typeof name !== 'string' || name === '' || typeof moduleClass.fromConfig !== 'function') {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `registerModule: ${moduleClass?.name ?? String(moduleClass)} needs its own static \`className\` (a non-empty string) and a static fromConfig(config, context)`,
    );
  }
  const existing = registry.get(name);
  if (existing !== undefined && existing !== moduleClass && options.replace !== true) {
    throw new VaeError(
      'INVALID_ARGUMENT',
      `registerModule: the name '${name}' is taken by ${existing.name}; pass { replace: true } to replace it`,
    );
  }
  registry.set(name, moduleClass);
}

/**
 * The class registered under `name`, if any.
 *
 * @param name - The class name a saved architecture uses.
 * @returns The class, or `undefined` when none is registered under `name`.
 */
export function registeredModule(name: string): ModuleClass | undefined {
  ensureBuiltins();
  return registry.get(name);
}

const MAX_DEPTH = 64;
const MAX_MODULES = 100_000;

/**
 * Builds a module tree from a spec with fresh weights, checking the spec's
 * shape as data: never evaluates code, only calls registered `fromConfig`s;
 * bounded depth and size. Throws `VaeError('CHECKPOINT_CORRUPT')` naming
 * `source` and the place in the tree.
 */
export function buildFromSpec(spec: JsonValue | undefined, source: string): AnyModule {
  ensureBuiltins();
  let count = 0;
  const corrupt = (message: string) => new VaeError('CHECKPOINT_CORRUPT', `${source}: ${message}`);
  const build = (value: JsonValue | undefined, where: string, depth: number): AnyModule => {
    if (depth > MAX_DEPTH) throw corrupt(`${where}: modules nest deeper than ${MAX_DEPTH}`);
    if (++count > MAX_MODULES) throw corrupt(`more than ${MAX_MODULES} modules`);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw corrupt(`${where} must be a module spec { class, config }`);
    }
    const { class: name, config } = value as { class?: JsonValue; config?: JsonValue };
    if (typeof name !== 'string') throw corrupt(`${where}.class must be a string`);
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw corrupt(`${where}.config must be an object`);
    }
    const moduleClass = registry.get(name);
    if (moduleClass === undefined) {
      throw new VaeError(
        'UNSUPPORTED',
        `${source}: ${where} is a '${name.slice(0, 100)}', which is not a registered module class (import it and call registerModule before loading)`,
      );
    }
    const context: BuildContext = {
      build: <M extends AnyModule>(
        child: JsonValue | undefined,
        childWhere: string,
        kind?: abstract new (...args: never[]) => M,
      ): M => {
        const built = build(child, childWhere, depth + 1);
        if (kind !== undefined && !(built instanceof kind)) {
          built.dispose();
          throw corrupt(`${childWhere} must be a ${kind.name}, got a ${built.constructor.name}`);
        }
        return built as M;
      },
      read: (childConfig, owner) => new ConfigReader(childConfig, `${source}: ${where} (${owner})`),
    };
    try {
      return moduleClass.fromConfig(config, context);
    } catch (error) {
      if (VaeError.isInstance(error)) {
        if (error.code === 'CHECKPOINT_CORRUPT' || error.code === 'UNSUPPORTED') throw error;
        throw corrupt(`${where}: ${error.message}`);
      }
      throw error;
    }
  };
  return build(spec, 'model', 0);
}
