import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write';
import type { SampleShape } from '../data/samples';

/**
 * The checkpoint layout of the model zoo: `model.json` ({ kind, params, shape, ...model state in JSON }) plus binary
 * arrays (little-endian Float32 / Float64 files named in model.json), every file written atomically.
 */

export interface ModelJson {
  kind: string;
  params: unknown;
  shape: SampleShape;
  [key: string]: unknown;
}

export async function writeModelJson(dir: string, doc: ModelJson): Promise<void> {
  await writeFileAtomic(join(dir, 'model.json'), JSON.stringify(doc));
}

export async function readModelJson(dir: string, kind: string): Promise<ModelJson> {
  const path = join(dir, 'model.json');
  let doc: ModelJson;
  try {
    doc = JSON.parse(await readFile(path, 'utf8')) as ModelJson;
  } catch (err) {
    throw new Error(`cannot read checkpoint ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (doc.kind !== kind) throw new Error(`checkpoint ${path} is a "${doc.kind}" model, not "${kind}"`);
  if (!Array.isArray(doc.shape)) throw new Error(`checkpoint ${path} has no shape`);
  return doc;
}

export async function writeArrayFile(dir: string, name: string, a: Float32Array | Float64Array): Promise<void> {
  await writeFileAtomic(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

async function readBytes(dir: string, name: string, elementSize: number, expected?: number): Promise<ArrayBuffer> {
  const path = join(dir, name);
  const buf = await readFile(path);
  if (buf.byteLength % elementSize !== 0) throw new Error(`checkpoint array ${path} has a truncated length`);
  if (expected !== undefined && buf.byteLength !== expected * elementSize) {
    throw new Error(`checkpoint array ${path} has ${buf.byteLength / elementSize} values, expected ${expected}`);
  }
  const out = new ArrayBuffer(buf.byteLength);
  new Uint8Array(out).set(buf);
  return out;
}

export async function readFloat32File(dir: string, name: string, expected?: number): Promise<Float32Array> {
  return new Float32Array(await readBytes(dir, name, 4, expected));
}

export async function readFloat64File(dir: string, name: string, expected?: number): Promise<Float64Array> {
  return new Float64Array(await readBytes(dir, name, 8, expected));
}
