// Registers tfjs-core's gradients in plain Node (outside a bundler): its ESM
// files use extensionless relative imports, so a resolve hook appends '.js'.
import { register } from 'node:module';

const hook = `
export async function resolve(specifier, context, next) {
  if (context.parentURL?.includes('/tfjs-core/dist/') && specifier.startsWith('.') && !specifier.endsWith('.js')) {
    try { return await next(specifier + '.js', context); } catch { return next(specifier + '/index.js', context); }
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js' as string);
