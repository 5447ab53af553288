import { fashionMnistDeclaration } from '../../contract/datasets/fashion-mnist';
import { fashionMnistUnavailableReason, loadFashionMnist } from '../fashion-mnist';
import { officialSplitEntry } from '../official-split-entry';

/** Fashion-MNIST, from Debian's dataset-fashion-mnist (or the folder COLLAPSE_LAB_FASHION_MNIST_DIR names). */
export const fashionMnistEntry = officialSplitEntry(fashionMnistDeclaration, {
  read: loadFashionMnist,
  unavailableReason: fashionMnistUnavailableReason,
});
