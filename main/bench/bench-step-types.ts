import type { BenchModel } from './bench-models';
import type { StepFlops } from './training-flops';

/** One timed call of a model's training or sampling. */
export interface TimedStep {
  name: string;
  /** Images (or rows) handled by one call. */
  perCall: number;
  run: () => unknown;
}

/** A model opened for the benchmark: its timed steps and what the report says of it. */
export interface ModelSteps {
  model: BenchModel;
  /** Training threads the steps use. */
  threads: number;
  /** Human description of the setting (architecture, batch). */
  setting: string;
  /** Trainable parameters, where the bench counts them (the refined steps). */
  params?: number;
  steps: TimedStep[];
  /** FLOPs per image of each step, where the bench knows them (the refined steps). */
  flops?: StepFlops;
  /** Critic steps per generator step (wgan-gp), to combine the two rates into images of data per second. */
  criticSteps?: number;
  close: () => Promise<void>;
}

export interface ModelStepsOptions {
  model: string;
  batch: number;
  /** Candidates drawn by one sampling call. */
  samples: number;
  /** vae-mlp: 1 or 2 training threads (2 needs wasm). */
  workers?: 1 | 2;
  /** Overrides of the model's catalog params (e.g. { width: 64 }, { channels: [32, 64], samplingSteps: 10 }). */
  params?: Record<string, unknown>;
}
