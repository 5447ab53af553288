import { textKindFamily } from './text-kind';
import { paradigmCatalog, type Paradigm, type ParadigmName } from './paradigms/catalog';
import type { ParadigmKindEntry } from './paradigms/paradigm-kind';

export type { Paradigm, ParadigmName };

/**
 * The paradigms' texts (`replace`, `mixed:LAMBDA` …), read and written in this one place from their declarations
 * (./paradigms): the config's schema, the run plan, the loop, the wizard's step and the study panel all go through it.
 */
export const paradigms = textKindFamily<(typeof paradigmCatalog)[ParadigmName]>('paradigm', Object.values(paradigmCatalog));

/** The paradigm of a text; an error naming the text and the choices. */
export function parseParadigm(text: string): Paradigm {
  return paradigms.parse(text);
}

/** The declaration of a parsed paradigm (or of a paradigm's name). */
export function paradigmEntry(p: Paradigm | ParadigmName): ParadigmKindEntry {
  return paradigmCatalog[typeof p === 'string' ? p : p.kind] as ParadigmKindEntry;
}

/** A zod string that must parse as a paradigm. */
export const paradigmText = paradigms.schema;

/** The paradigm of a config that names none. */
export const defaultParadigm = paradigmCatalog.replace.name;
