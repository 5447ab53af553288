import type { SplitName, SplitSpec } from '../../contract/split-spec';
import { dirichletSplit } from './dirichlet';
import { exdirSplit } from './exdir';
import { iidSplit } from './iid';
import { quantitySplit } from './quantity';
import type { SplitFunction } from './types';

/**
 * Split name → its split function for the parsed split. A new split: its declaration in
 * main/contract/splits/kinds/<name>.ts with its line in that folder's catalog.ts, its function in ./<name>.ts, and its
 * line here (the compiler asks for it).
 */
const splitFunctions: { [K in SplitName]: (spec: Extract<SplitSpec, { kind: K }>) => SplitFunction } = {
  iid: () => iidSplit,
  dirichlet: (s) => dirichletSplit(s.alpha),
  exdir: (s) => exdirSplit(s.classesPerIsland, s.alpha),
  quantity: (s) => quantitySplit(s.beta),
};

/** The split function of a parsed split. */
export function splitFunction(spec: SplitSpec): SplitFunction {
  return (splitFunctions[spec.kind] as (s: SplitSpec) => SplitFunction)(spec);
}
