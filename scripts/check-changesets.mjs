// Fails when a package under packages/ changed and no changeset names it.
// "Changed" means since the last `changeset version` commit ("Version packages"),
// or since the repository's first commit when there has been none.
import { execFileSync } from 'node:child_process';

const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();

const lastRelease = git('log', '--format=%H', '-1', '--grep=^Version packages');
const base = lastRelease || git('rev-list', '--max-parents=0', 'HEAD').split('\n').pop();
console.log(`check-changesets: packages changed since ${base.slice(0, 12)} need a changeset`);
try {
  execFileSync('pnpm', ['exec', 'changeset', 'status', `--since=${base}`], { stdio: 'inherit' });
} catch {
  console.error(
    'check-changesets: add a changeset (`pnpm changeset`) naming every changed package',
  );
  process.exit(1);
}
