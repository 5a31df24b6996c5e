import { Activation } from '../activation.js';
import { AutoregressiveBernoulliDecoder } from '../autoregressive-bernoulli-decoder.js';
import { BernoulliDecoder } from '../bernoulli-decoder.js';
import { ContinuousBernoulliDecoder } from '../continuous-bernoulli-decoder.js';
import { ConvTranspose2d } from '../conv-transpose2d.js';
import { Conv2d } from '../conv2d.js';
import { DiagonalGaussianPrior } from '../diagonal-gaussian-prior.js';
import { DiscretizedLogisticMixtureDecoder } from '../discretized-logistic-mixture-decoder.js';
import { AffineCoupling } from '../flows/affine-coupling.js';
import { FlowEncoder } from '../flows/flow-encoder.js';
import { FlowModel } from '../flows/flow-model.js';
import { FlowPrior } from '../flows/flow-prior.js';
import { FlowStack } from '../flows/flow-stack.js';
import { InverseAutoregressiveFlow } from '../flows/inverse-autoregressive-flow.js';
import { MADE } from '../flows/made.js';
import { MaskedAutoregressiveFlow } from '../flows/masked-autoregressive-flow.js';
import { Permutation } from '../flows/permutation.js';
import { PlanarFlow } from '../flows/planar-flow.js';
import { RadialFlow } from '../flows/radial-flow.js';
import { GaussianDecoder } from '../gaussian-decoder.js';
import { GaussianEncoder } from '../gaussian-encoder.js';
import { HierarchicalEncoder } from '../hierarchical-encoder.js';
import { HierarchicalPrior } from '../hierarchical-prior.js';
import { Linear } from '../linear.js';
import { MixtureOfGaussiansPrior } from '../mixture-of-gaussians-prior.js';
import { Narrow } from '../narrow.js';
import { Flatten, Reshape } from '../reshape.js';
import { ResidualBlock } from '../residual-block.js';
import { Sequential } from '../sequential.js';
import { StandardNormalPrior } from '../standard-normal-prior.js';
import { VAE } from '../vae.js';
import { VampPrior } from '../vamp-prior.js';
import type { ModuleClass } from './registry.js';

/**
 * Every module class this package ships. The registry reads the list on first
 * use (only then: the classes import the module system, and this file must not
 * touch them while it loads).
 */
export function builtinModules(): ModuleClass[] {
  return [
    Activation,
    AutoregressiveBernoulliDecoder,
    BernoulliDecoder,
    ContinuousBernoulliDecoder,
    Conv2d,
    ConvTranspose2d,
    DiagonalGaussianPrior,
    DiscretizedLogisticMixtureDecoder,
    Flatten,
    GaussianDecoder,
    GaussianEncoder,
    HierarchicalEncoder,
    HierarchicalPrior,
    Linear,
    MixtureOfGaussiansPrior,
    Narrow,
    Reshape,
    ResidualBlock,
    Sequential,
    StandardNormalPrior,
    VAE,
    VampPrior,
    // Normalizing flows.
    AffineCoupling,
    FlowEncoder,
    FlowModel,
    FlowPrior,
    FlowStack,
    InverseAutoregressiveFlow,
    MADE,
    MaskedAutoregressiveFlow,
    Permutation,
    PlanarFlow,
    RadialFlow,
  ];
}
