import fs from 'node:fs';
import path from 'node:path';
import type { DummyFileChange, DummyKind } from './dummy-kinds';

/**
 * The "To add …" section of docs/ARCHITECTURE.md as data, and the plan of writing the dummy kinds into exactly the
 * files it names. Every mismatch between the doc, the dummies and the tree is an error that says which file and why.
 */

export const TO_ADD_HEADING = '## To add a model, a scheme, a dataset kind, a metric, a paradigm or an island split';

export interface ListedFile {
  action: 'new' | 'edit';
  /** As the doc writes it, placeholders included. */
  path: string;
}

/** Subsection title (`A model`) → its listed files, in the doc's order. */
export function parseToAddLists(markdown: string): Map<string, ListedFile[]> {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trim() === TO_ADD_HEADING);
  if (start < 0) throw new Error(`docs/ARCHITECTURE.md has no section "${TO_ADD_HEADING}"`);
  const lists = new Map<string, ListedFile[]>();
  let current: ListedFile[] | null = null;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ')) break;
    if (line.startsWith('### ')) {
      current = [];
      lists.set(line.slice(4).trim(), current);
      continue;
    }
    if (!line.startsWith('- ') || !current) continue;
    const m = /^- (new|edit) `([^`]+)`/.exec(line);
    if (!m) throw new Error(`docs/ARCHITECTURE.md: a list item of "To add" is not "- new|edit \`path\`": ${line}`);
    current.push({ action: m[1] as 'new' | 'edit', path: m[2] });
  }
  return lists;
}

/** One file the dummies write: its path in the tree and its whole new content. */
export interface PlannedWrite {
  path: string;
  content: string;
}

function substitute(template: string, placeholders: Record<string, string>): string {
  let out = template;
  for (const [k, v] of Object.entries(placeholders)) out = out.split(k).join(v);
  return out;
}

function changedContent(root: string, file: string, change: DummyFileChange, where: string): string {
  const abs = path.join(root, file);
  if (change.action === 'new') {
    if (fs.existsSync(abs)) throw new Error(`${where}: ${file} is listed as new but already exists`);
    return change.content;
  }
  if (!fs.existsSync(abs)) throw new Error(`${where}: ${file} is listed as edited but does not exist`);
  let text = fs.readFileSync(abs, 'utf8');
  for (const ins of change.insertions) {
    if (ins.after === 'start') {
      text = ins.text + text;
      continue;
    }
    const count = text.split(ins.after).length - 1;
    if (count !== 1) {
      throw new Error(`${where}: the edit point ${JSON.stringify(ins.after)} occurs ${count} times in ${file} (expected once)`);
    }
    const at = text.indexOf(ins.after) + ins.after.length;
    text = text.slice(0, at) + ins.text + text.slice(at);
  }
  return text;
}

/**
 * The writes that add every dummy into the files the doc lists for it, checked against the tree at `root`: the doc
 * must list exactly the dummy's files (no wrong file, none missing), with the right action (new or edit); an edited
 * file must exist and hold each edit point once; a new one must not exist yet.
 */
export function planDummyWrites(lists: Map<string, ListedFile[]>, dummies: DummyKind[], root: string): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  for (const dummy of dummies) {
    const where = `docs/ARCHITECTURE.md "### ${dummy.heading}"`;
    const listed = lists.get(dummy.heading);
    if (!listed || listed.length === 0) throw new Error(`${where}: the subsection is missing or lists no file`);
    for (const item of listed) {
      const change = dummy.files[item.path];
      if (!change) {
        throw new Error(
          `${where} names ${item.path}, but adding a dummy needs no such file (the files it needs: ${Object.keys(dummy.files).join(', ')})`,
        );
      }
      if (change.action !== item.action)
        throw new Error(`${where} says "${item.action}" for ${item.path}; adding a dummy has to "${change.action}" it`);
    }
    for (const needed of Object.keys(dummy.files)) {
      if (!listed.some((i) => i.path === needed)) throw new Error(`${where} does not name ${needed}, which adding a dummy has to change`);
    }
    for (const item of listed) {
      const file = substitute(item.path, dummy.placeholders);
      writes.push({ path: file, content: changedContent(root, file, dummy.files[item.path], where) });
    }
  }
  const seen = new Set<string>();
  for (const w of writes) {
    if (seen.has(w.path))
      throw new Error(`docs/ARCHITECTURE.md: ${w.path} is listed under two subsections (each dummy edits it from the original)`);
    seen.add(w.path);
  }
  return writes;
}
