import { allocateClassesByDirichlet } from './class-dirichlet';
import { requireLabels, type SplitFunction } from './types';

/** Label-Dirichlet (Hsu et al.; NIID-Bench "noniid-labeldir"): every island may receive every class. */
export function dirichletSplit(alpha: number): SplitFunction {
  return (input) => {
    const labels = requireLabels(input, 'dirichlet');
    const everyone = Array.from({ length: input.islands }, (_, j) => j);
    const owners = Array.from({ length: input.numClasses }, () => everyone);
    return allocateClassesByDirichlet(labels, input.numClasses, input.islands, alpha, owners, input.rng);
  };
}
