import { z } from 'zod';
import { trainingSubset } from './user-file-fields';

/**
 * The fields of a dataset read from its official files in a folder the user gives (CIFAR-10, CIFAR-100, STL-10): the
 * folder (the dataset's own folder, e.g. `cifar-10-batches-bin`, or the folder that holds it) and seeded, stratified
 * subsets of the official training and test splits (all when absent).
 */
export function officialFolderFields() {
  return {
    /** The dataset's folder as its archive unpacks (e.g. `cifar-10-batches-bin`), or the folder holding it. */
    path: z.string().min(1, { error: "the folder of the dataset's official files is required" }),
    /** Number of training samples to use (seeded, stratified subset); all when absent. */
    subset: trainingSubset,
    /** Number of test samples kept for evaluation (seeded, stratified subset); the whole test split when absent. */
    testSubset: trainingSubset,
  };
}
