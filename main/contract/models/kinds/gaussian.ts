import { z } from 'zod';
import { closedFormCost, declareModelKind, neverWarmStarts } from '../model-kind';

export const gaussianParams = z
  .object({
    /** Ridge added to the covariance diagonal after the maximum-likelihood fit. */
    ridge: z.number().min(0).max(1).default(1e-6),
  })
  .strict();

export const gaussianKind = declareModelKind({
  kind: 'gaussian',
  label: 'Gaussian (maximum likelihood)',
  description: 'Mean and full covariance fitted by maximum likelihood: the model of the theory papers.',
  params: gaussianParams,
  imagesOnly: false,
  plainJs: true,
  warmStarts: neverWarmStarts,
  cost: (_p, data) => closedFormCost(data),
  // the fitted covariance and its Cholesky factor, float64
  memory: (_p, { dim }) => ({
    what: `the model's ${dim} × ${dim} covariance and Cholesky factor`,
    bytes: 2 * dim * dim * 8,
    values: dim * dim,
  }),
});
