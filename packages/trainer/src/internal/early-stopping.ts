import * as tf from '@tensorflow/tfjs-core';
import type { TrainingState } from '../checkpoint.js';
import type { FitOptions } from '../fit-options.js';

type Config = NonNullable<FitOptions['earlyStopping']>;

/**
 * Early stopping: tracks the best monitored value (in the trainer state, so it
 * survives a resume) and a copy of the best weights (in memory only).
 */
export class EarlyStopping {
  private best: tf.Tensor[] | undefined;

  constructor(
    private readonly config: Config,
    private readonly monitor: 'loss' | 'validationLoss',
  ) {}

  /**
   * Records an epoch's losses; returns a message when training should stop (after
   * putting the best weights back when `restoreBest` is on).
   */
  update(
    state: Pick<TrainingState, 'best' | 'epochsWithoutImprovement'>,
    losses: { loss: number; validationLoss: number | undefined },
    variables: readonly tf.Variable[],
  ): string | undefined {
    const value = this.monitor === 'loss' ? losses.loss : (losses.validationLoss ?? losses.loss);
    const previous = state.best;
    const restoreBest = this.config.restoreBest !== false;
    if (previous === null || value < previous - (this.config.minDelta ?? 0)) {
      state.best = value;
      state.epochsWithoutImprovement = 0;
      if (restoreBest) {
        tf.dispose(this.best);
        this.best = variables.map((v) => tf.clone(v));
      }
      return undefined;
    }
    state.epochsWithoutImprovement++;
    if (state.epochsWithoutImprovement < this.config.patience) return undefined;
    if (restoreBest && this.best !== undefined) {
      variables.forEach((v, i) => {
        v.assign(this.best![i]!);
      });
    }
    return `fit: ${this.monitor} has not improved on ${previous} for ${this.config.patience} epochs`;
  }

  dispose(): void {
    tf.dispose(this.best);
    this.best = undefined;
  }
}
