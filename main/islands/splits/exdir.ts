import { allocateClassesByDirichlet } from './class-dirichlet';
import { MAX_REDRAWS, SplitError, requireLabels, type SplitFunction } from './types';

/**
 * ExDir(C, alpha) as PFLlib's dataset_utils.py defines it: each island draws C distinct classes, redrawn until every
 * class has at least max(C·K // n_classes // 2, 1) owners; then each class is divided among its owners by
 * Dirichlet(alpha), capping islands at their fair share N/K.
 */
export function exdirSplit(classesPerIsland: number, alpha: number): SplitFunction {
  return (input) => {
    const labels = requireLabels(input, 'exdir');
    const { islands: K, numClasses: nc, rng } = input;
    const C = classesPerIsland;
    if (C > nc) throw new SplitError(`exdir:${C},${alpha}: C = ${C} classes per island, but the data has only ${nc} classes`);
    const minOwners = Math.max(Math.floor(Math.floor((C * K) / nc) / 2), 1);
    if (C * K < nc * minOwners) {
      throw new SplitError(
        `exdir:${C},${alpha} is impossible: ${K} islands × ${C} classes each cannot give every one of the ${nc} ` +
          `classes an owner; use at least ${Math.ceil(nc / C)} islands or more classes per island`,
      );
    }
    for (let attempt = 0; attempt < 200 * MAX_REDRAWS; attempt++) {
      const owners: number[][] = Array.from({ length: nc }, () => []);
      for (let j = 0; j < K; j++) for (const c of rng.choose(nc, C)) owners[c].push(j);
      if (Math.min(...owners.map((o) => o.length)) >= minOwners) {
        return allocateClassesByDirichlet(labels, nc, K, alpha, owners, rng);
      }
    }
    throw new SplitError(`exdir:${C},${alpha}: could not give every class ${minOwners} owners among ${K} islands`);
  };
}
