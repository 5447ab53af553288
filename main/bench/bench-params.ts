import type { z } from 'zod';

/** The model's catalog params with the bench's overrides; a bad override fails naming the model and the field. */
export function parseBenchParams<S extends z.ZodType>(schema: S, model: string, value: Record<string, unknown>): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(params)'}: ${i.message}`).join('; ');
    throw new RangeError(`bench: --params for ${model}: ${issues}`);
  }
  return r.data;
}
