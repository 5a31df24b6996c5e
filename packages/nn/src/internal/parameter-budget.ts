import { formatShape, VaeError } from '@vae/divergence';

// While a model is built from a file, every parameter it creates is counted
// against what the file's weights hold, before the parameter is allocated: a
// hostile architecture cannot make the loader allocate more than the file has.
let budget: { remaining: number; source: string } | undefined;

/** Runs `build` with at most `limit` scalar parameters to create. */
export function withParameterBudget<T>(limit: number, source: string, build: () => T): T {
  const outer = budget;
  budget = { remaining: limit, source };
  try {
    return build();
  } finally {
    budget = outer;
  }
}

/** Counts a parameter of `shape` against the budget (a no-op outside a budgeted build). */
export function claimParameters(owner: string, shape: readonly number[]): void {
  if (budget === undefined) return;
  const size = shape.reduce((product, d) => product * d, 1);
  if (!Number.isSafeInteger(size) || size > budget.remaining) {
    throw new VaeError(
      'CHECKPOINT_CORRUPT',
      `${budget.source}: the architecture asks for a parameter ${owner} of shape ${formatShape(shape)}, more than the weights it holds`,
    );
  }
  budget.remaining -= size;
}
