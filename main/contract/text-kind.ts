import { z } from 'zod';

/**
 * A kind written as a short text in a config: its name alone (`replace`, `iid`) or its name and its numbers
 * (`mixed:0.5`, `exdir:1,0.1`). The paradigms (./paradigms) and the island splits (./splits) are such kinds: each
 * declares its name, label and numbers here, and `textKindFamily` gives the one parser, formatter, form reader and
 * list of choices every door, the wizard and the engine read. Pure, Node-free.
 */

/** One number of a kind's text (ALPHA in `dirichlet:ALPHA`), with what a form shows for it. */
export interface TextKindField {
  /** Its placeholder in the kind's usage (`dirichlet:ALPHA`); lowercased, the id of its form field. */
  symbol: string;
  /** The form field's label. */
  label: string;
  hint?: string;
  /** The value a form starts from, and the kind's example (`dirichlet:0.5`). */
  initial: number;
  /** What is wrong with a number, in words that follow the symbol ("must be > 0"); undefined when it is fine. */
  check(v: number): string | undefined;
}

/** A declared kind: its name, label, one line of detail, and its numbers in the order the text writes them. */
export interface TextKind<N extends string = string, F extends Record<string, TextKindField> = Record<string, TextKindField>> {
  name: N;
  label: string;
  /** One line shown under the label. */
  detail: string;
  /** Its numbers by key, in the text's order (empty for a kind written by its name alone). */
  fields: F;
}

/** A kind's parsed text: `{ kind: 'mixed', realFraction: 0.5 }`. */
export type ParsedTextKind<D> = D extends TextKind<infer N, infer F> ? { kind: N } & { [K in keyof F]: number } : never;

/** The text as a form holds it while being typed: the kind from its head, each number as typed (NaN when not one). */
export interface TextKindForm {
  kind: string;
  values: Record<string, number>;
}

/** A number as the text writes it; a number not typed yet (NaN) is left empty, for the parser to report. */
function numberText(v: number): string {
  return Number.isFinite(v) ? String(v) : '';
}

/** The family of kinds `kinds` (the paradigms, the splits): everything that reads or writes their texts. */
export function textKindFamily<D extends TextKind>(what: string, kinds: readonly D[]) {
  type Parsed = ParsedTextKind<D>;
  const byName = new Map<string, D>(kinds.map((k) => [k.name, k]));
  const fieldsOf = (d: D) => Object.entries(d.fields);
  /** `dirichlet:ALPHA`, `exdir:C,ALPHA`, `iid`. */
  const usage = (d: D) =>
    fieldsOf(d).length === 0
      ? d.name
      : `${d.name}:${fieldsOf(d)
          .map(([, f]) => f.symbol)
          .join(',')}`;
  const textOf = (d: D, values: Record<string, number>) =>
    fieldsOf(d).length === 0
      ? d.name
      : `${d.name}:${fieldsOf(d)
          .map(([k]) => numberText(values[k]))
          .join(',')}`;
  const initialValues = (d: D) => Object.fromEntries(fieldsOf(d).map(([k, f]) => [k, f.initial]));
  const example = (d: D) => textOf(d, initialValues(d));
  const usages = kinds.map(usage);
  const choicesText = usages.length < 2 ? usages.join('') : `${usages.slice(0, -1).join(', ')} or ${usages[usages.length - 1]}`;

  /** The head and the numbers' texts of a text (lowercased, trimmed). */
  const split = (text: string) => {
    const t = text.trim().toLowerCase();
    const colon = t.indexOf(':');
    return colon < 0 ? { head: t, rest: undefined } : { head: t.slice(0, colon), rest: t.slice(colon + 1).split(',') };
  };

  /** The kind and numbers of a text; an error naming the text and what is wrong with it. */
  function parse(text: string): Parsed {
    const fail = (why: string): never => {
      throw new Error(`${what} "${text}": ${why}`);
    };
    const { head, rest } = split(text);
    const d = byName.get(head) ?? fail(`unknown kind; use ${choicesText}`);
    const fields = fieldsOf(d);
    if (fields.length === 0 && rest !== undefined) fail(`${d.name} takes no number`);
    if (fields.length > 0 && rest?.length !== fields.length) fail(`expected ${usage(d)} (e.g. ${example(d)})`);
    const out: Record<string, string | number> = { kind: d.name };
    fields.forEach(([key, f], i) => {
      const s = rest![i];
      const v = Number(s);
      if (s.trim() === '' || !Number.isFinite(v)) fail(`${f.symbol} in ${usage(d)} must be a number`);
      const wrong = f.check(v);
      if (wrong !== undefined) fail(`${f.symbol} ${wrong}`);
      out[key] = v;
    });
    return out as Parsed;
  }

  /**
   * The text as a form's fields, read leniently: the kind from its head and each number as typed, so that a field
   * being typed (`0`, `0.`, an empty box, `-1`, `abc`) keeps its kind and its text; the parser reports the value
   * at the field. A text without a known head reads as the first kind, with its initial numbers.
   */
  function readForm(text: string): TextKindForm {
    const { head, rest } = split(text);
    const d = byName.get(head);
    if (!d) return { kind: kinds[0].name, values: initialValues(kinds[0]) };
    const num = (s: string | undefined) => (s === undefined || s.trim() === '' ? NaN : Number(s));
    return { kind: d.name, values: Object.fromEntries(fieldsOf(d).map(([k], i) => [k, num(rest?.[i])])) };
  }

  return {
    /** The kinds, in the order forms list them. */
    kinds,
    /** The kind declared as `name`, if any. */
    kindNamed: (name: string): D | undefined => byName.get(name),
    usage,
    parse,
    /** The text of a parsed kind (`formatSplit(parseSplit(t))` is `t` in its plain form). */
    format: (p: Parsed): string => textOf(byName.get(p.kind)!, p as unknown as Record<string, number>),
    /** A zod string that must parse as one of the kinds, with the parser's message at its field. */
    schema: z.string().superRefine((v, ctx) => {
      try {
        parse(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    }),
    /** One example text of each kind (its numbers' initial values): a study's choices for the field. */
    choices: (): string[] => kinds.map(example),
    readForm,
    /** The text in words (`Mixed: Real fraction λ = 0.5`); a text that does not parse, as it is. */
    describe(text: string): string {
      try {
        const p = parse(text) as unknown as Record<string, number> & { kind: string };
        const d = byName.get(p.kind)!;
        const values = fieldsOf(d).map(([k, f]) => `${f.label} = ${p[k]}`);
        return values.length === 0 ? d.label : `${d.label}: ${values.join(', ')}`;
      } catch {
        return text;
      }
    },
    /** The text of a form's fields. */
    formText: (form: TextKindForm): string => textOf(byName.get(form.kind) ?? kinds[0], form.values),
    /** The text after the form switches to kind `name`: a number of the same key keeps its value, others start anew. */
    switchKind(text: string, name: string): string {
      const d = byName.get(name) ?? kinds[0];
      const now = readForm(text);
      const values = Object.fromEntries(fieldsOf(d).map(([k, f]) => [k, k in now.values ? now.values[k] : f.initial]));
      return textOf(d, values);
    },
  };
}
