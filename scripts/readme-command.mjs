// Prints one of the README's two Quick start commands ("main" or "test"), so
// that CI runs exactly what a new user is told to run.
import { readFileSync } from 'node:fs';

const which = process.argv[2];
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.split(/^## Quick start\s*$/m)[1];
const block = section?.match(/```(?:sh|bash|shell)\n([\s\S]*?)```/)?.[1];
const commands = (block ?? '')
  .split('\n')
  .map((line) => line.replace(/\s+#.*$/, '').trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
if (commands.length !== 2) {
  console.error(
    `README.md: the Quick start block must hold exactly two commands, found ${commands.length}`,
  );
  process.exit(1);
}
const index = { main: 0, test: 1 }[which];
if (index === undefined) {
  console.error('usage: node scripts/readme-command.mjs main|test');
  process.exit(1);
}
console.log(commands[index]);
