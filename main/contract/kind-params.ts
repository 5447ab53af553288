import { z } from 'zod';

/** Keys that would reach an object's prototype when copied onto it: never a parameter's name. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The path of the first prototype key in a JSON value (own keys, at any depth), or null. */
export function prototypeKeyPath(value: unknown, at: (string | number)[] = []): (string | number)[] | null {
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = prototypeKeyPath(value[i], [...at, i]);
      if (p) return p;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) return [...at, key];
    const p = prototypeKeyPath((value as Record<string, unknown>)[key], [...at, key]);
    if (p) return p;
  }
  return null;
}

/**
 * The `params` field of a model or a scheme before its kind's own (strict) schema checks it: an object, whose
 * prototype keys (`__proto__`, `constructor`, `prototype`, at any depth) are refused by name. A plain record would
 * drop `__proto__` silently, so that the kind's schema never saw it.
 */
export const kindParams = z
  .custom<Record<string, unknown>>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), { message: 'params must be an object' })
  .superRefine((v, ctx) => {
    const path = prototypeKeyPath(v);
    if (path) ctx.addIssue({ code: 'custom', path, message: `"${String(path[path.length - 1])}" is a prototype key, not a parameter` });
  })
  .default({});
