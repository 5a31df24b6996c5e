// Public API of @vae/nn: list every exported name explicitly (no export *).
export { VaeError } from '@vae/divergence';
export {
  Activation,
  type ActivationName,
  elu,
  leakyRelu,
  relu,
  sigmoid,
  softplus,
  tanh,
} from './activation.js';
export { ConvTranspose2d, type ConvTranspose2dOptions } from './conv-transpose2d.js';
export { Conv2d, type Conv2dOptions } from './conv2d.js';
export {
  type Fans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  type Initializer,
  zeros,
} from './initializers.js';
export { Linear, type LinearOptions } from './linear.js';
export { Module } from './module.js';
export { Flatten, Reshape } from './reshape.js';
export { Sequential } from './sequential.js';
