/**
 * What makes two runs the same run, and two runs the same cell: a run is its config but for its `name` (a label),
 * `loop.generations` (a run that only grows it is extended, not new) and `storage` (what is kept on disk, not what the
 * run computes); a cell is that, but for the seed too. The one rule
 * of a study's run and cell keys (main/studies/expand-study.ts hashes these) and of the renderer's comparison of
 * ticked runs (runs with equal cell identities form a cell). Node-free: the engine and the renderer import it.
 */

/** A config without what does not make the run: its name, loop.generations and storage. */
export function runIdentity(config: Record<string, unknown>): Record<string, unknown> {
  const { name: _name, storage: _storage, ...rest } = config;
  const loop = rest.loop;
  if (loop === null || typeof loop !== 'object' || Array.isArray(loop)) return rest;
  const { generations: _generations, ...keptLoop } = loop as Record<string, unknown>;
  return { ...rest, loop: keptLoop };
}

/** A config without what does not make the cell: its name, loop.generations, storage and seed. */
export function cellIdentity(config: Record<string, unknown>): Record<string, unknown> {
  const { seed: _seed, ...rest } = runIdentity(config);
  return rest;
}
