import { z } from 'zod';
import { declareDatasetKind } from './dataset-kind';

/** The 2-D shapes of scikit-learn's generators (Collapse-or-Thrive's KDE datasets). */
export const TOY_2D_SHAPES = ['blobs', 'moons', 'circles', 'swiss-roll'] as const;

/**
 * The 2-D toy shapes as scikit-learn's make_blobs (3 centres (−4, −4), (0, 4), (4, −2), std 1), make_moons,
 * make_circles (factor 0.5) and make_swiss_roll projected to its (x, z) plane: train and test draws, generated from the
 * seed.
 */
export const toy2dDeclaration = declareDatasetKind({
  kind: 'toy-2d',
  label: '2-D toy shapes',
  detail: 'blobs, moons, circles or swiss roll (as scikit-learn), generated',
  builtinLabel: '2-D toy shapes (generated)',
  readsUserFiles: false,
  schema: z
    .object({
      kind: z.literal('toy-2d'),
      shape: z.enum(TOY_2D_SHAPES).default('moons'),
      /** Std of the Gaussian noise added to each coordinate (sklearn's `noise`; blobs: the clusters' std). */
      noise: z.number().min(0).max(100).optional(),
      trainSize: z.number().int().min(2).max(10_000_000).default(100),
      testSize: z.number().int().min(2).max(10_000_000).default(500),
    })
    .strict(),
  wizardDefaults: { kind: 'toy-2d', shape: 'moons', trainSize: 100, testSize: 500 },
  samplesAreImages: () => false,
});

/** Each shape's noise when the config gives none (blobs: cluster std 1, as make_blobs). */
export const TOY_2D_DEFAULT_NOISE: Record<(typeof TOY_2D_SHAPES)[number], number> = {
  blobs: 1,
  moons: 0.1,
  circles: 0.05,
  'swiss-roll': 0.5,
};
