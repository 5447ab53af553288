import { cifar10Declaration } from './cifar10';
import { cifar100Declaration } from './cifar100';
import type { SampleSpace } from '../metric-catalog';
import type { DatasetKindDeclaration } from './dataset-kind';
import { fashionMnistDeclaration } from './fashion-mnist';
import { gaussianDeclaration } from './gaussian';
import { gaussianMixtureDeclaration } from './gaussian-mixture';
import { idxDeclaration } from './idx';
import { imageFolderDeclaration } from './image-folder';
import { mnistDeclaration } from './mnist';
import { npyDeclaration } from './npy';
import { stl10Declaration } from './stl10';
import { toy2dDeclaration } from './toy-2d';

/**
 * The dataset kinds of the config contract, in the wizard's order. main/contract/config.ts builds `datasetConfig`
 * from their schemas; main/data/dataset-registry.ts pairs each with its engine entry.
 */
export const datasetDeclarations = [
  mnistDeclaration,
  fashionMnistDeclaration,
  gaussianDeclaration,
  gaussianMixtureDeclaration,
  toy2dDeclaration,
  imageFolderDeclaration,
  idxDeclaration,
  npyDeclaration,
  cifar10Declaration,
  cifar100Declaration,
  stl10Declaration,
] as const;

/** The schemas of a tuple of declarations, as a tuple. */
type SchemasOf<T extends readonly unknown[]> = { -readonly [I in keyof T]: T[I] extends { schema: infer S } ? S : never };

/** The kinds' schemas as a tuple (what z.discriminatedUnion takes). */
export const datasetSchemas = datasetDeclarations.map((d) => d.schema) as unknown as SchemasOf<typeof datasetDeclarations>;

/** The declaration of a kind, or undefined for a kind this contract does not know. */
export function datasetDeclarationOf(kind: string): DatasetKindDeclaration | undefined {
  return (datasetDeclarations as readonly DatasetKindDeclaration[]).find((d) => d.kind === kind);
}

/**
 * What the samples of some dataset configs are (the names of the raw-data metrics read it): images or vectors when
 * they all agree, `mixed` when they do not; images for what is not a config of a kind this contract knows (the metric
 * names' default).
 */
export function sampleSpaceOf(datasets: readonly unknown[]): SampleSpace {
  const spaces = new Set(
    datasets.map((d) => {
      const cfg = d !== null && typeof d === 'object' ? (d as Record<string, unknown>) : {};
      const declaration = typeof cfg.kind === 'string' ? datasetDeclarationOf(cfg.kind) : undefined;
      return !declaration || declaration.samplesAreImages(cfg) ? 'images' : 'vectors';
    }),
  );
  return spaces.size > 1 ? 'mixed' : spaces.has('vectors') ? 'vectors' : 'images';
}
