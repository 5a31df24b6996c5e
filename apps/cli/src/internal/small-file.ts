import { readFileBounded } from '@vae/divergence/node';

/** Why {@link readSmallText} read nothing. */
export type SmallFileProblem = 'missing' | 'not-a-file' | 'too-large';

/** {@link readSmallText}'s refusal: the path, the problem and (too large) the size found. */
export class SmallFileError extends Error {
  constructor(
    readonly problem: SmallFileProblem,
    readonly path: string,
    readonly size?: number,
  ) {
    super(
      problem === 'missing'
        ? `${path} does not exist`
        : problem === 'not-a-file'
          ? `${path} is not a regular file`
          : `${path} is ${size} bytes`,
    );
    this.name = 'SmallFileError';
  }
}

/**
 * The text of one of the small files a run folder holds (config.json,
 * metrics.jsonl, clock.json, eval.progress.json, ...), read by `readFileBounded`
 * only when it is a regular file of at most `maxBytes`: a FIFO or a device put
 * in its place is refused without waiting on it, and a larger file is never
 * read. Other errors (permissions) are thrown as the OS gave them.
 *
 * @throws {@link SmallFileError} naming the problem.
 */
export async function readSmallText(path: string, maxBytes: number): Promise<string> {
  const found = await readFileBounded(path, { maxBytes });
  if (found.problem === undefined) return Buffer.from(found.bytes).toString('utf8');
  throw new SmallFileError(
    found.problem,
    path,
    found.problem === 'too-large' ? found.size : undefined,
  );
}

/** True for a {@link SmallFileError} of this problem. */
export function isSmallFileProblem(error: unknown, problem: SmallFileProblem): boolean {
  return error instanceof SmallFileError && error.problem === problem;
}
