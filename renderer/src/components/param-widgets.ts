/** How ParamForm edits each JSON-Schema property (made by zod's toJSONSchema from the catalogs' param schemas). */
export type JsonSchema = {
  type?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema | false;
  prefixItems?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  description?: string;
};

export type Widget =
  | { kind: 'number'; integer: boolean }
  | { kind: 'boolean' }
  | { kind: 'enum'; options: string[] }
  | { kind: 'enum-or-number'; options: string[] }
  | { kind: 'number-list'; integer: boolean }
  | { kind: 'object'; schema: JsonSchema }
  | { kind: 'json' };

const isNumeric = (s: JsonSchema | undefined | false) => !!s && (s.type === 'number' || s.type === 'integer');

export function widgetFor(s: JsonSchema): Widget {
  if (s.type === 'integer' || s.type === 'number') return { kind: 'number', integer: s.type === 'integer' };
  if (s.type === 'boolean') return { kind: 'boolean' };
  if (s.type === 'string' && Array.isArray(s.enum)) return { kind: 'enum', options: s.enum.map(String) };
  if (s.anyOf && s.anyOf.length === 2) {
    const e = s.anyOf.find((a) => a.type === 'string' && Array.isArray(a.enum));
    const n = s.anyOf.find((a) => isNumeric(a));
    if (e && n) return { kind: 'enum-or-number', options: (e.enum ?? []).map(String) };
  }
  if (s.type === 'array') {
    if (isNumeric(s.items)) return { kind: 'number-list', integer: (s.items as JsonSchema).type === 'integer' };
    if (s.prefixItems && s.prefixItems.every(isNumeric)) {
      return { kind: 'number-list', integer: s.prefixItems.every((p) => p.type === 'integer') };
    }
  }
  // a nested object with a default is always there (edit its fields); an optional one without a default stays absent
  // until the user writes it (JSON), rather than appearing as an empty, invalid object
  if (s.type === 'object' && s.properties && s.default !== undefined) return { kind: 'object', schema: s };
  return { kind: 'json' };
}

/** "1 – 1024 · default 20" */
export function hintFor(s: JsonSchema): string {
  const parts: string[] = [];
  const lo = s.minimum ?? s.exclusiveMinimum;
  const hi = s.maximum ?? s.exclusiveMaximum;
  if (lo !== undefined || hi !== undefined) {
    const l = lo === undefined ? '' : `${s.exclusiveMinimum !== undefined ? '>' : '≥'} ${lo}`;
    const h = hi === undefined ? '' : `${s.exclusiveMaximum !== undefined ? '<' : '≤'} ${hi}`;
    parts.push([l, h].filter(Boolean).join(', '));
  }
  if (s.default !== undefined && typeof s.default !== 'object') parts.push(`default ${String(s.default)}`);
  else if (Array.isArray(s.default)) parts.push(`default ${s.default.join(', ')}`);
  return parts.join(' · ');
}

export function parseNumberList(text: string): number[] {
  const t = text.trim();
  if (t === '') return [];
  return t
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
}

export function parseEnumOrNumber(text: string, options: string[]): string | number {
  const t = text.trim();
  if (options.includes(t)) return t;
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : t;
}
