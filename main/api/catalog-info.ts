import { z } from 'zod';
import type { BackendName, CatalogInfo } from '../contract/api';
import { datasetConfig } from '../contract/config';
import { defaultFeatureSpec, modelCatalog, referenceKinds, selectionCatalog } from '../index';

/** What the wizard builds forms from: the catalogs of models, schemes, references and dataset kinds, as plain data. */
export function catalogInfo(workspace: string, backend: BackendName, datasets: CatalogInfo['datasets']): CatalogInfo {
  return {
    workspace,
    backend,
    models: Object.entries(modelCatalog).map(([kind, m]) => ({
      kind,
      label: m.label,
      description: m.description,
      imagesOnly: m.imagesOnly,
      ...paramsInfo(m.params as z.ZodType),
    })),
    schemes: Object.entries(selectionCatalog).map(([name, s]) => ({
      name,
      label: s.label,
      description: s.description,
      usesReference: s.usesReference,
      privacy: s.privacy,
      ...paramsInfo(s.params as z.ZodType),
    })),
    referenceKinds: Object.entries(referenceKinds).map(([kind, r]) => ({
      kind: kind as keyof typeof referenceKinds,
      label: r.label,
      description: r.description,
      oracle: r.oracle,
      privacy: r.privacy,
    })),
    referenceFeatureDatasets: datasets.map((d) => d.kind).filter((kind) => defaultFeatureSpec(kind, true) === 'reference'),
    datasets,
    datasetForms: datasetConfig.options.map((o) => ({
      kind: String(o.shape.kind.value),
      schema: z.toJSONSchema(o as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    })),
  };
}

function paramsInfo(schema: z.ZodType): { paramsSchema: Record<string, unknown>; defaults: Record<string, unknown> } {
  return {
    paramsSchema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    defaults: schema.parse({}) as Record<string, unknown>,
  };
}
