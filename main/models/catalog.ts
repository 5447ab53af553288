import { z } from 'zod';

/**
 * The catalog of model kinds and their hyper-parameters, free of TensorFlow.js so that the contract (and the renderer)
 * can validate a config. Implementations are registered by kind in main/models/registry.ts.
 */
export const gaussianParams = z
  .object({
    /** Ridge added to the covariance diagonal after the maximum-likelihood fit. */
    ridge: z.number().min(0).max(1).default(1e-6),
  })
  .strict();

export const vaeMlpParams = z
  .object({
    latent: z.number().int().min(1).max(1024).default(20),
    hidden: z.array(z.number().int().min(1).max(8192)).min(1).max(6).default([400, 400]),
    epochs: z.number().int().min(1).max(1000).default(10),
    batchSize: z.number().int().min(1).max(8192).default(128),
    learningRate: z.number().positive().max(1).default(1e-3),
    /** Continue from the previous generation's weights instead of a fresh initialisation. */
    warmStart: z.boolean().default(false),
    /**
     * 2 = data-parallel training on two wasm threads (each batch split into two shards; results differ from 1 thread
     * by float rounding). Not faster on the project's 2-vCPU machine (see main/models/vae-mlp-trainer.ts); may help on
     * machines with two real cores. Ignored (1) on other backends.
     */
    trainingThreads: z.union([z.literal(1), z.literal(2)]).default(1),
  })
  .strict();

export const gmmParams = z
  .object({
    /** Number of mixture components. */
    k: z.number().int().min(1).max(1000).default(10),
    covariance: z.enum(['full', 'diag']).default('full'),
    maxIter: z.number().int().min(1).max(10_000).default(100),
    /** Stop when the mean log-likelihood gains less than this (sklearn's tol). */
    tol: z.number().positive().default(1e-3),
    /** Added to every covariance diagonal (sklearn's reg_covar). */
    ridge: z.number().min(0).max(1).default(1e-6),
    /** Lloyd iterations after the k-means++ seeding. */
    kmeansIter: z.number().int().min(0).max(1000).default(20),
  })
  .strict();

export const kdeParams = z
  .object({
    /** Bandwidth factor as scipy.stats.gaussian_kde's bw_method: kernel covariance = factor² · data covariance. */
    bandwidth: z.union([z.enum(['scott', 'silverman']), z.number().positive()]).default('scott'),
    /** Added to the data covariance diagonal before scaling (images have constant pixels, hence singular covariance). */
    ridge: z.number().min(0).max(1).default(1e-6),
  })
  .strict();

export const gaussianMixtureSpec = z
  .object({
    weights: z.array(z.number().positive()).min(1),
    means: z.array(z.array(z.number()).min(1)).min(1),
    /** Per component: a full covariance matrix, a diagonal of variances, or one variance. */
    covs: z.array(z.union([z.number().positive(), z.array(z.number()), z.array(z.array(z.number()))])).min(1),
  })
  .strict();

export const truncationSchedule = z
  .object({
    /** For generation g: constant δ0; power δ0·(g + 1)^(−p); geometric δ0·γ^g (all start at δ0). */
    kind: z.enum(['constant', 'power', 'geometric']).default('constant'),
    delta0: z.number().positive().max(10).default(0.1),
    p: z.number().min(0).max(10).default(1),
    gamma: z.number().gt(0).max(1).default(0.9),
  })
  .strict();

/** The exact score's configurable error (score-error.ts): a gradient part and a solenoidal part, each with a magnitude. */
export const scoreErrorSpec = z
  .object({
    gradient: z
      .object({
        /** g in g·∇φ (0: none). */
        magnitude: z.number().min(0).max(100).default(0),
        /** φ = ½‖x − c‖² (widens the samples) or a bump w²·exp(−‖x − c‖²/2w²) (pulls them towards c locally). */
        potential: z.enum(['quadratic', 'bump']).default('quadratic'),
        /** c: zeros when absent. */
        center: z.array(z.number()).optional(),
        width: z.number().positive().max(100).default(1),
      })
      .strict()
      .default({ magnitude: 0, potential: 'quadratic', width: 1 }),
    solenoidal: z
      .object({
        /** s in s·J∇log p_t, divergence-free with respect to p_t (needs 2 or more dimensions). */
        magnitude: z.number().min(0).max(100).default(0),
      })
      .strict()
      .default({ magnitude: 0 }),
    /** Monte Carlo points per time of the error metrics (score-error-metrics.ts). */
    evalSamples: z.number().int().min(200).max(100_000).default(4000),
    /** Times between δ and the horizon at which the error metrics are integrated. */
    evalTimes: z.number().int().min(4).max(200).default(24),
  })
  .strict();

export const diffusionExactParams = z
  .object({
    /** What the model takes as the data distribution: a k-component GMM fit (default) or the empirical measure. */
    estimator: z.enum(['gmm', 'empirical']).default('gmm'),
    /** Components of the GMM estimator (the known k of the data). */
    components: z.number().int().min(1).max(1000).default(2),
    covariance: z.enum(['full', 'diag']).default('full'),
    /** Reverse-time SDE, probability-flow ODE (both with the exact score), or a direct draw from p_δ. */
    sampler: z.enum(['sde', 'ode', 'exact']).default('sde'),
    /** Integrator of the reverse SDE: exponential Euler–Maruyama, or stochastic Heun (second order in the drift). */
    integrator: z.enum(['euler', 'heun']).default('euler'),
    /** Integration steps from the horizon down to δ (geometric time grid). */
    steps: z.number().int().min(1).max(100_000).default(200),
    /** Horizon T of the forward Ornstein–Uhlenbeck process; sampling starts from N(0, I) there. */
    horizon: z.number().positive().max(50).default(10),
    truncation: truncationSchedule.default({ kind: 'constant', delta0: 0.1, p: 1, gamma: 0.9 }),
    /** The true data distribution, for describeSamples' W2 (the gaussian-mixture dataset's spec). */
    truth: gaussianMixtureSpec.optional(),
    /** Highest Hermite mode K reported by describeSamples in one dimension. */
    hermiteModes: z.number().int().min(0).max(30).default(8),
    /** An error of the exact score used by the sampler, and its metrics per generation (absent: the exact score). */
    scoreError: scoreErrorSpec.optional(),
  })
  .strict()
  .refine((p) => !(p.sampler === 'exact' && p.scoreError && (p.scoreError.gradient.magnitude > 0 || p.scoreError.solenoidal.magnitude > 0)), {
    message: 'a score error needs a sampler that uses the score: sde or ode, not exact',
    path: ['sampler'],
  });

export const wganGpParams = z
  .object({
    noiseDim: z.number().int().min(1).max(4096).default(100),
    /** Channels of the widest layer divided by 4: generator 4w → 2w → w → c, critic w → 2w → 4w → 1 (study: 64). */
    width: z.number().int().min(1).max(512).default(64),
    epochs: z.number().int().min(1).max(10_000).default(100),
    batchSize: z.number().int().min(2).max(8192).default(64),
    /** Critic steps per generator step (study: 5 in setup 1, 2 in setup 2). */
    criticSteps: z.number().int().min(1).max(100).default(5),
    gpWeight: z.number().min(0).max(1000).default(10),
    learningRate: z.number().positive().max(1).default(2e-4),
    beta1: z.number().min(0).lt(1).default(0.5),
    beta2: z.number().min(0).lt(1).default(0.9),
    /**
     * End the critic with a sigmoid as the study's code does. Off by default: a WGAN critic must be an unbounded
     * 1-Lipschitz potential; a sigmoid saturates, which caps the Wasserstein estimate and kills the gradients.
     */
    criticSigmoid: z.boolean().default(false),
    /** Real held-out images scored for the critic-accuracy diagnostic (0 turns it off). */
    evalSize: z.number().int().min(0).max(100_000).default(2000),
  })
  .strict();

export const vaeConvParams = z
  .object({
    latent: z.number().int().min(1).max(1024).default(16),
    /** Channels of the stride-2 encoder convolutions (the decoder mirrors them); one halving of h and w per entry. */
    channels: z.array(z.number().int().min(1).max(1024)).min(1).max(5).default([32, 64]),
    epochs: z.number().int().min(1).max(1000).default(10),
    batchSize: z.number().int().min(1).max(8192).default(128),
    learningRate: z.number().positive().max(1).default(1e-3),
  })
  .strict();

export const ddpmParams = z
  .object({
    /** Diffusion steps T of training. */
    timesteps: z.number().int().min(2).max(10_000).default(1000),
    betaStart: z.number().positive().max(0.5).default(1e-4),
    betaEnd: z.number().positive().max(0.999).default(0.02),
    /** U-Net channels at the full and the half resolution. */
    channels: z.tuple([z.number().int().min(1).max(512), z.number().int().min(1).max(1024)]).default([32, 64]),
    timeEmbedding: z.number().int().min(2).max(1024).default(64),
    epochs: z.number().int().min(1).max(10_000).default(20),
    batchSize: z.number().int().min(1).max(8192).default(64),
    learningRate: z.number().positive().max(1).default(2e-4),
    /** DDIM sampling steps (≤ timesteps) and η (0 = deterministic DDIM, 1 ≈ DDPM's ancestral noise). */
    samplingSteps: z.number().int().min(1).max(10_000).default(50),
    eta: z.number().min(0).max(1).default(0),
  })
  .strict();

export const modelCatalog = {
  gaussian: {
    label: 'Gaussian (maximum likelihood)',
    description: 'Mean and full covariance fitted by maximum likelihood: the model of the theory papers.',
    params: gaussianParams,
    imagesOnly: false,
  },
  'vae-mlp': {
    label: 'VAE (MLP)',
    description: 'Encoder 784-400-400 (LeakyReLU 0.2) to mean and log-variance; sigmoid decoder; BCE (sum) + KL; Adam.',
    params: vaeMlpParams,
    imagesOnly: false,
  },
  gmm: {
    label: 'Gaussian mixture (EM)',
    description: 'k components, full or diagonal covariance, k-means++ initialisation, EM with a ridge.',
    params: gmmParams,
    imagesOnly: false,
  },
  kde: {
    label: 'Gaussian KDE',
    description: 'Gaussian kernel density estimate (Scott, Silverman or fixed factor, as scipy): the non-parametric model.',
    params: kdeParams,
    imagesOnly: false,
  },
  'diffusion-exact': {
    label: 'Diffusion with the exact score',
    description:
      'Ornstein–Uhlenbeck diffusion sampled with the closed-form score of a Gaussian-mixture fit, stopped at a truncation time δ per generation.',
    params: diffusionExactParams,
    imagesOnly: false,
  },
  'wgan-gp': {
    label: 'WGAN-GP (convolutional)',
    description: 'The WGAN/VAE study\'s WGAN-GP for 28×28 images: instance-norm conv generator and critic, λ = 10.',
    params: wganGpParams,
    imagesOnly: true,
  },
  'vae-conv': {
    label: 'VAE (convolutional)',
    description: 'Stride-2 convolutional encoder, transposed-convolution decoder, BCE (sum) + KL; even image sizes.',
    params: vaeConvParams,
    imagesOnly: true,
  },
  ddpm: {
    label: 'DDPM (small U-Net)',
    description: 'A compact two-resolution U-Net, linear β schedule, ε-prediction; DDIM sampling with fewer steps.',
    params: ddpmParams,
    imagesOnly: true,
  },
} as const;

export type ModelKind = keyof typeof modelCatalog;
export const modelKinds = Object.keys(modelCatalog) as [ModelKind, ...ModelKind[]];
