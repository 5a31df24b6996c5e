// The API reference site: `pnpm run docs` builds it into api-docs/ (git-ignored)
// from the TSDoc of the packages listed as checked in
// tooling/doc-examples/docs-packages.json, each with its README as its page.
// Warnings are errors: an undocumented export or a broken link fails the build.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const status = JSON.parse(
  readFileSync(new URL('./tooling/doc-examples/docs-packages.json', import.meta.url), 'utf8'),
);
// Checked packages whose API page is not complete yet (undocumented properties) stay out.
const notInSite = Object.keys(status.notInSite ?? {});
const inSite = status.checked.filter((dir) => !notInSite.includes(dir));
const notYet = [...Object.keys(status.pending), ...notInSite];
const nameOf = (dir) =>
  JSON.parse(readFileSync(new URL(`./packages/${dir}/package.json`, import.meta.url), 'utf8')).name;

const description = (dir) =>
  JSON.parse(readFileSync(new URL(`./packages/${dir}/package.json`, import.meta.url), 'utf8'))
    .description;

// The front page: the packages in the reference, and those not in it yet.
const index = [
  '# vae: API reference',
  '',
  'Variational autoencoders and the probability they rest on, for TensorFlow.js: small',
  'packages on `@tensorflow/tfjs-core`, for any backend, in the browser or in Node.',
  'Each package page starts with its README; every example on these pages is',
  'type-checked and run by the tests.',
  '',
  '| package | what it is for |',
  '| --- | --- |',
  ...inSite.map((dir) => `| {@link "${nameOf(dir)}"!} | ${description(dir)} |`),
  '',
  ...(notYet.length === 0
    ? []
    : [
        'Not in the reference yet (see their READMEs):',
        `${notYet.map((dir) => `\`${nameOf(dir)}\``).join(', ')}.`,
        '',
      ]),
].join('\n');
const indexFile = new URL('./tooling/doc-examples/.generated/site-index.md', import.meta.url);
mkdirSync(new URL('.', indexFile), { recursive: true });
writeFileSync(indexFile, index);

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'vae',
  entryPointStrategy: 'packages',
  entryPoints: inSite.map((dir) => `packages/${dir}`),
  // Each package's public entries: src/index.ts, and src/node.ts where there is one (@vae/viz/node).
  packageOptions: { entryPoints: ['src/@(index|node).ts'] },
  readme: indexFile.pathname,
  out: 'api-docs',
  treatWarningsAsErrors: true,
  treatValidationWarningsAsErrors: true,
  validation: {
    notExported: true,
    notDocumented: true,
    invalidLink: true,
    invalidPath: true,
    rewrittenLink: true,
    unusedMergeModuleWith: true,
  },
  packagesRequiringDocumentation: inSite.map(nameOf),
};
