/**
 * The neural model kinds the training benchmark times (main/bench/model-steps.ts has their steps): the kinds whose
 * training is minibatch steps; the closed-form ones (gaussian, gmm, kde, diffusion-exact) have none to time. Free of
 * TensorFlow.js, so that a door can list them without loading it.
 */
export const benchModels = ['vae-mlp', 'vae-conv', 'wgan-gp', 'ddpm'] as const;
export type BenchModel = (typeof benchModels)[number];

export function isBenchModel(m: string): m is BenchModel {
  return (benchModels as readonly string[]).includes(m);
}
