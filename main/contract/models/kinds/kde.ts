import { z } from 'zod';
import { closedFormCost, declareModelKind, neverWarmStarts } from '../model-kind';

export const kdeParams = z
  .object({
    /** Bandwidth factor as scipy.stats.gaussian_kde's bw_method: kernel covariance = factor² · data covariance. */
    bandwidth: z.union([z.enum(['scott', 'silverman']), z.number().positive()]).default('scott'),
    /** Added to the data covariance diagonal before scaling (images have constant pixels, hence singular covariance). */
    ridge: z.number().min(0).max(1).default(1e-6),
    /**
     * `data`: the kernel covariance is factor² × the data covariance (scipy); `isotropic`: it is bandwidth² × I, a
     * fixed bandwidth in the data's units (sklearn's KernelDensity; `bandwidth` must then be a number).
     */
    kernel: z.enum(['data', 'isotropic']).default('data'),
  })
  .strict()
  .refine((p) => p.kernel !== 'isotropic' || typeof p.bandwidth === 'number', {
    path: ['bandwidth'],
    message: 'kernel "isotropic" needs a numeric bandwidth (in the data’s units), not a rule',
  });

export const kdeKind = declareModelKind({
  kind: 'kde',
  label: 'Gaussian KDE',
  description:
    'Gaussian kernel density estimate (Scott, Silverman or fixed factor, as scipy; or a fixed isotropic bandwidth, as sklearn): the non-parametric model.',
  params: kdeParams,
  imagesOnly: false,
  plainJs: true,
  warmStarts: neverWarmStarts,
  cost: (_p, data) => closedFormCost(data),
});
