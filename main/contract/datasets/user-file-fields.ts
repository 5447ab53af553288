import { z } from 'zod';

/** Fields shared by the kinds read from the user's files (image folder, IDX, .npy). */

/** Number of training samples to use (seeded, stratified subset); all when absent. */
export const trainingSubset = z.number().int().min(1).max(10_000_000).optional();

/** Fraction of the samples held out as the test set (stratified by class when labelled). */
export const testFraction = z.number().gt(0).lt(1).default(0.1);
