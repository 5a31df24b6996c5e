import * as tf from '@tensorflow/tfjs-core';
import { memorySink } from '@vae/test-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AutoregressiveBernoulli,
  AutoregressiveBernoulliDecoder,
  autoregressiveVAE,
  loadVAE,
  MADE,
  mlpVAE,
  Sequential,
  saveModel,
  VaeError,
} from '../src/index.js';

/** Every binary vector of length d, [2^d, d], bit j of row r = (r >> j) & 1. */
function allBinary(d: number): tf.Tensor2D {
  const rows = Array.from({ length: 2 ** d }, (_, r) =>
    Array.from({ length: d }, (_, j) => (r >> j) & 1),
  );
  return tf.tensor2d(rows, [2 ** d, d]);
}

function tinyMade(order?: number[]): MADE {
  return new MADE({
    features: 4,
    hidden: [12],
    outputsPerFeature: 1,
    contextFeatures: 2,
    ...(order === undefined ? {} : { order }),
    seed: 3,
  });
}

describe('AutoregressiveBernoulli', () => {
  let made: MADE;
  let context: tf.Tensor2D;
  let start: number;
  beforeEach(() => {
    start = tf.memory().numTensors;
    made = tinyMade([2, 0, 3, 1]);
    // Larger weights than the initializer's make the conditionals far from 1/2.
    tf.tidy(() => {
      made.parameters().forEach((p, i) => {
        p.assign(tf.randomNormal(p.shape, 0, 1.5, 'float32', 10 + i));
      });
    });
    context = tf.tensor2d([
      [0.3, -1.2],
      [2.0, 0.5],
    ]);
  });
  afterEach(() => {
    context.dispose();
    made.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('is normalized: the probabilities of all 2^4 vectors sum to 1 for every context', () => {
    const p = new AutoregressiveBernoulli({ made, context, eventShape: [4] });
    const total = tf.tidy(() => {
      const x = allBinary(4); // [16, 4]
      // [16, 2, 4]: every vector against both contexts (sample axis first).
      const value = tf.tile(tf.reshape(x, [16, 1, 4]), [1, 2, 1]);
      return tf.sum(tf.exp(p.logProb(value)), 0);
    });
    const sums = total.arraySync() as number[];
    for (const s of sums) expect(s).toBeCloseTo(1, 5);
    total.dispose();
    p.dispose();
  });

  it("logProb is the sum of the MADE's Bernoulli conditionals, by hand", () => {
    const p = new AutoregressiveBernoulli({ made, context, eventShape: [4] });
    const x = tf.tensor2d([
      [1, 0, 1, 1],
      [0, 1, 1, 0],
    ]);
    const logits = tf.tidy(() => made.call(x, context).arraySync() as number[][]);
    const xs = x.arraySync();
    const expected = logits.map((row, r) =>
      row.reduce((sum, l, i) => {
        const pi = 1 / (1 + Math.exp(-l));
        return sum + Math.log(xs[r]![i] === 1 ? pi : 1 - pi);
      }, 0),
    );
    const got = p.logProb(x);
    const values = got.arraySync() as number[];
    values.forEach((v, r) => {
      expect(v).toBeCloseTo(expected[r]!, 4);
    });
    tf.dispose([x, got]);
    p.dispose();
  });

  it('draws ancestral samples with the frequencies exp(logProb) gives', () => {
    const p = new AutoregressiveBernoulli({ made, context, eventShape: [4] });
    const n = 4000;
    const samples = p.sample([n], 5); // [n, 2, 4]
    expect(samples.shape).toEqual([n, 2, 4]);
    const codes = tf.tidy(() => tf.sum(tf.mul(samples, tf.tensor1d([1, 2, 4, 8])), -1)); // [n, 2]
    const drawn = codes.arraySync() as number[][];
    const probabilities = tf.tidy(() => {
      const value = tf.tile(tf.reshape(allBinary(4), [16, 1, 4]), [1, 2, 1]);
      return tf.exp(p.logProb(value));
    });
    const expected = probabilities.arraySync() as number[][]; // [16, 2]
    for (let b = 0; b < 2; b++) {
      for (let code = 0; code < 16; code++) {
        const frequency = drawn.filter((row) => row[b] === code).length / n;
        const q = expected[code]![b]!;
        // Five standard errors of a binomial proportion (plus a floor for tiny q).
        expect(Math.abs(frequency - q)).toBeLessThan(5 * Math.sqrt((q * (1 - q)) / n) + 2e-3);
      }
    }
    tf.dispose([samples, codes, probabilities]);
    p.dispose();
  });

  it('keeps the seed promise: the same seed (0 too) repeats, another seed differs', () => {
    const p = new AutoregressiveBernoulli({ made, context, eventShape: [2, 2] });
    const a = p.sample([50], 0);
    const b = p.sample([50], 0);
    const c = p.sample([50], 1);
    expect(a.shape).toEqual([50, 2, 2, 2]);
    expect(a.arraySync()).toEqual(b.arraySync());
    expect(a.arraySync()).not.toEqual(c.arraySync());
    tf.dispose([a, b, c]);
    p.dispose();
  });

  it('has a plug-in mean: exact for the first value in the order, in [0, 1] elsewhere', () => {
    const p = new AutoregressiveBernoulli({ made, context, eventShape: [4] });
    const mean = p.mean();
    expect(mean.shape).toEqual([2, 4]);
    // Feature 1 comes first in the order [2, 0, 3, 1]: its logit reads the context alone.
    const first = tf.tidy(() =>
      tf.sigmoid(tf.slice(made.call(tf.zeros([2, 4]), context), [0, 1], [2, 1])),
    );
    const m = mean.arraySync() as number[][];
    const f = first.arraySync() as number[][];
    for (let r = 0; r < 2; r++) {
      expect(m[r]![1]).toBeCloseTo(f[r]![0]!, 5);
      for (const v of m[r]!) expect(v >= 0 && v <= 1).toBe(true);
    }
    tf.dispose([mean, first]);
    p.dispose();
  });

  it('scores a repeated batch without repeating it: logProbRepeated = logProb of the copies, gradients too', () => {
    const contexts = tf.randomNormal([3 * 2, 2], 0, 1, 'float32', 21); // 3 copies of 2 rows
    const x = tf.tensor2d([
      [1, 0, 0, 1],
      [0, 1, 1, 1],
    ]);
    const p = new AutoregressiveBernoulli({ made, context: contexts, eventShape: [4] });
    const repeated = p.logProbRepeated(x, 3);
    const direct = tf.tidy(() => p.logProb(tf.concat([x, x, x], 0)));
    expect(repeated.shape).toEqual([6]);
    const [a, b] = [repeated.arraySync() as number[], direct.arraySync() as number[]];
    a.forEach((v, i) => {
      expect(v).toBeCloseTo(b[i]!, 4);
    });
    const gradientOf = (score: () => tf.Tensor) =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.sum(score()) as tf.Scalar, made.parameters());
        return made.parameters().map((v) => grads[v.name]!.arraySync() as number[] | number[][]);
      });
    const viaRepeat = gradientOf(() => p.logProbRepeated(x, 3));
    const viaCopies = gradientOf(() => p.logProb(tf.concat([x, x, x], 0)));
    viaRepeat.forEach((g, i) => {
      const flatA = (g as number[]).flat();
      const flatB = (viaCopies[i] as number[]).flat();
      flatA.forEach((v, j) => {
        expect(v).toBeCloseTo(flatB[j]!, 3);
      });
    });
    expect(() => p.logProbRepeated(x, 4)).toThrow(/for 4 copies of a batch of 6/);
    tf.dispose([contexts, x, repeated, direct]);
    p.dispose();
  });

  it('refuses a MADE that does not fit the event, or a context of the wrong width', () => {
    expect(() => new AutoregressiveBernoulli({ made, context, eventShape: [5] })).toThrow(
      /must have one output per value, 5 features/,
    );
    const wide = tf.zeros([2, 3]);
    expect(() => new AutoregressiveBernoulli({ made, context: wide, eventShape: [4] })).toThrow(
      VaeError,
    );
    wide.dispose();
  });
});

describe('AutoregressiveBernoulliDecoder', () => {
  it('gradients of log p(x | z) match finite differences, and masked weights get none', () => {
    const decoder = new AutoregressiveBernoulliDecoder({
      body: new Sequential([]),
      made: tinyMade(),
      eventShape: [4],
    });
    const z = tf.tensor2d([[0.4, -0.7]]);
    const x = tf.tensor2d([[1, 0, 1, 1]]);
    const f = () =>
      tf.tidy(() => {
        const p = decoder.call(z);
        try {
          return tf.sum(p.logProb(x)) as tf.Scalar;
        } finally {
          p.dispose();
        }
      });
    const { grads } = tf.variableGrads(f);
    const names = decoder.namedParameters().map(([name]) => name);
    expect(names).toContain('made.0.weight');
    const [, first] = decoder.namedParameters().find(([name]) => name === 'made.0.weight')!;
    const g = grads[first.name]!.arraySync() as number[][];
    const mask = tf.tidy(() => {
      const layer = (decoder.made as unknown as { children(): [string, { mask(): tf.Tensor }][] })
        .children()
        .find(([name]) => name === '0')![1];
      return layer.mask();
    });
    const m = mask.arraySync() as number[][];
    const w = first.arraySync() as number[][];
    const h = 1e-2;
    let checked = 0;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 12; j++) {
        if (m[i]![j] === 0) {
          expect(Math.abs(g[i]![j]!)).toBe(0);
          continue;
        }
        if (checked >= 6) continue;
        const at = (delta: number) => {
          const copy = w.map((row) => [...row]);
          copy[i]![j]! += delta;
          tf.tidy(() => first.assign(tf.tensor2d(copy)));
          const value = f();
          const out = value.dataSync()[0]!;
          value.dispose();
          return out;
        };
        const numeric = (at(h) - at(-h)) / (2 * h);
        tf.tidy(() => first.assign(tf.tensor2d(w)));
        expect(g[i]![j]).toBeCloseTo(numeric, 2);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    tf.dispose([z, x, mask, ...Object.values(grads)]);
    decoder.dispose();
  });

  it('refuses a MADE with more than one output per value', () => {
    const made = new MADE({ features: 4, hidden: [8], outputsPerFeature: 2, contextFeatures: 2 });
    expect(
      () => new AutoregressiveBernoulliDecoder({ body: new Sequential([]), made, eventShape: [4] }),
    ).toThrow(/AutoregressiveBernoulliDecoder: `made` must have one output per value/);
    made.dispose();
  });
});

describe('autoregressiveVAE', () => {
  it('trains without leaking tensors and improves the ELBO of a tiny dataset', () => {
    const model = autoregressiveVAE({ inputShape: [8], hidden: [16], latentDim: 2, seed: 4 });
    const x = tf.tensor2d([
      [1, 1, 1, 1, 0, 0, 0, 0],
      [0, 0, 0, 0, 1, 1, 1, 1],
      [1, 0, 1, 0, 1, 0, 1, 0],
      [1, 1, 1, 1, 0, 0, 0, 0],
    ]);
    const optimizer = tf.train.adam(0.02);
    const loss = (seed: number) => () =>
      tf.tidy(() => {
        const q = model.encode(x);
        const z = q.rsample([], seed);
        const p = model.decode(z);
        const prior = model.priorDistribution();
        const value = tf.neg(
          tf.mean(tf.add(p.logProb(x), tf.sub(prior.logProb(z), q.logProb(z)))),
        ) as tf.Scalar;
        q.dispose();
        p.dispose();
        prior.dispose();
        return value;
      });
    const first = loss(0)();
    // The first step makes Adam's moments and the MADE's masks; count after it.
    tf.dispose(optimizer.minimize(loss(1), true, model.trainableVariables) ?? []);
    const before = tf.memory().numTensors;
    for (let step = 1; step < 150; step++) {
      tf.dispose(optimizer.minimize(loss(step + 1), true, model.trainableVariables) ?? []);
    }
    expect(tf.memory().numTensors).toBe(before);
    const last = loss(999)();
    expect(last.dataSync()[0]!).toBeLessThan(first.dataSync()[0]! - 1);
    tf.dispose([first, last, x]);
    optimizer.dispose();
    model.dispose();
  });

  it('saves and loads: the same masks and weights give the same log p(x | z)', async () => {
    const model = autoregressiveVAE({ inputShape: [6], hidden: [10], latentDim: 3, seed: 7 });
    const sink = memorySink();
    await saveModel(model, sink.handler);
    const loaded = await loadVAE(tf.io.fromMemory(sink.saved()));
    const z = tf.randomNormal([3, 3], 0, 1, 'float32', 8);
    const x = tf.round(tf.randomUniform([3, 6], 0, 1, 'float32', 9));
    const [a, b] = [model, loaded].map((m) => {
      const p = m.decode(z);
      const value = p.logProb(x);
      p.dispose();
      return value;
    });
    expect(Array.from(b!.dataSync())).toEqual(Array.from(a!.dataSync()));
    expect(loaded.decoder).toBeInstanceOf(AutoregressiveBernoulliDecoder);
    tf.dispose([a!, b!, z, x]);
    model.dispose();
    loaded.dispose();
  });

  it('draws seeded pictures through the plug-in mean', () => {
    const model = autoregressiveVAE({ inputShape: [2, 3], hidden: [8], latentDim: 2, seed: 1 });
    const a = model.sample(3, { seed: 0 });
    const b = model.sample(3, { seed: 0 });
    const c = model.sample(3, { seed: 2 });
    expect(a.shape).toEqual([3, 2, 3]);
    expect(a.arraySync()).toEqual(b.arraySync());
    expect(a.arraySync()).not.toEqual(c.arraySync());
    tf.dispose([a, b, c]);
    model.dispose();
  });

  it('refuses a likelihood other than Bernoulli', () => {
    expect(() =>
      mlpVAE({ likelihood: 'gaussian', decoder: { kind: 'autoregressive' }, seed: 1 }),
    ).toThrow(/models binary data/);
  });
});
