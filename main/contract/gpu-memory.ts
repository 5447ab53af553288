import { ConfigError } from './config';
import { modelEntry, resolveModelParams, type ModelKind } from './models/catalog';

/**
 * The largest single GPU buffers a run's model allocates in a training step and in sampling, from its kind's resolved
 * params and the sample shape, each with the config field that drives it; and the check of them against a WebGPU
 * adapter's limits (`maxBufferSize`, `maxStorageBufferBindingSize`): tfjs-webgpu keeps every tensor in one storage
 * buffer, so a tensor beyond either limit fails the run mid-generation. Pure, Node-free: the preflight
 * (main/runs/preflight-worker.ts) reads the adapter's limits and calls it before the run's folder exists.
 */

/** One tensor: what it is, its size in bytes (float32) and the field to lower. */
export interface GpuBufferPart {
  what: string;
  bytes: number;
  field: string;
}

/** The adapter limits a buffer must fit (GPUSupportedLimits' two buffer limits, in bytes). */
export interface GpuBufferLimits {
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

const BATCH = 'model.params.batchSize';
const IMAGE = 'dataset';

/**
 * The largest tensors of one training step and of sampling for a model of this kind on samples of `shape`
 * ([h, w, c] images or [d] vectors); empty for the kinds that run without TensorFlow.js.
 */
export function gpuBufferParts(model: { kind: ModelKind; params?: Record<string, unknown> }, shape: readonly number[]): GpuBufferPart[] {
  if (modelEntry(model.kind).plainJs) return [];
  const p = resolveModelParams(model);
  const [h, w, c] = shape.length === 3 ? shape : [1, 1, shape[0]];
  const pixels = h * w * c;
  const f4 = (...n: number[]) => 4 * n.reduce((a, b) => a * b, 1);
  // rows per sampling call: the kind's own (its entry, which its implementation samples by)
  const chunk = modelEntry(model.kind).sampleChunk ?? 256;
  const parts: GpuBufferPart[] = [];
  switch (model.kind) {
    case 'ddpm': {
      const b = p.batchSize as number;
      const [c1, c2] = p.channels as [number, number];
      // the up path's concat of the skip: [B, h, w, 2·c1], the widest activation of the U-Net
      parts.push({ what: `the U-Net's widest activation, ${b} × ${h} × ${w} × ${2 * c1}`, bytes: f4(b, h, w, 2 * c1), field: BATCH });
      parts.push({
        what: `the U-Net's widest activation in sampling, ${chunk} × ${h} × ${w} × ${2 * c1}`,
        bytes: f4(chunk, h, w, 2 * c1),
        field: IMAGE,
      });
      parts.push({ what: `the largest weight, 3 × 3 × ${c2} × ${c2}`, bytes: f4(3, 3, c2, c2), field: 'model.params.channels' });
      break;
    }
    case 'vae-conv': {
      const b = p.batchSize as number;
      const ch = p.channels as number[];
      const acts = ch.map((ci, i) => ({ ci, s: 2 ** (i + 1) }));
      let widest = { bytes: f4(b, pixels), what: `the image batch, ${b} × ${h} × ${w} × ${c}` };
      for (const { ci, s } of acts) {
        const hh = Math.ceil(h / s);
        const ww = Math.ceil(w / s);
        if (f4(b, hh, ww, ci) > widest.bytes)
          widest = { bytes: f4(b, hh, ww, ci), what: `a conv activation, ${b} × ${hh} × ${ww} × ${ci}` };
      }
      parts.push({ ...widest, field: BATCH });
      parts.push({ what: `a sampling chunk, ${chunk} × ${h} × ${w} × ${c}`, bytes: f4(chunk, pixels), field: IMAGE });
      break;
    }
    case 'wgan-gp': {
      const b = p.batchSize as number;
      const wd = p.width as number;
      const real = f4(b, pixels);
      const act = f4(b, 14, 14, wd);
      parts.push(
        real >= act
          ? { what: `the image batch, ${b} × ${h} × ${w} × ${c}`, bytes: real, field: BATCH }
          : { what: `the 14 × 14 activation, ${b} × 14 × 14 × ${wd}`, bytes: act, field: BATCH },
      );
      parts.push({
        what: `the largest weight, 4 × 4 × ${2 * wd} × ${4 * wd}`,
        bytes: f4(4, 4, 2 * wd, 4 * wd),
        field: 'model.params.width',
      });
      parts.push({ what: `a sampling chunk, ${chunk} × ${h} × ${w} × ${c}`, bytes: f4(chunk, pixels), field: IMAGE });
      break;
    }
    case 'vae-mlp': {
      const b = p.batchSize as number;
      const hidden = p.hidden as number[];
      const widest = Math.max(pixels, ...hidden);
      parts.push({ what: `the widest activation, ${b} × ${widest}`, bytes: f4(b, widest), field: BATCH });
      const sizes = [pixels, ...hidden];
      let wmax = 0;
      for (let i = 0; i + 1 < sizes.length; i++) wmax = Math.max(wmax, sizes[i] * sizes[i + 1]);
      parts.push({ what: 'the largest weight matrix', bytes: 4 * wmax, field: 'model.params.hidden' });
      break;
    }
    default:
      break;
  }
  return parts;
}

/**
 * Refuse a model whose largest tensor exceeds the adapter's buffer limits: a ConfigError at the field that drives it,
 * naming both sizes and the limit.
 */
export function checkGpuBuffers(
  model: { kind: ModelKind; params?: Record<string, unknown> },
  shape: readonly number[],
  limits: GpuBufferLimits,
  adapter = 'the GPU adapter',
  source = 'config',
): void {
  const limit = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  const name = limits.maxStorageBufferBindingSize <= limits.maxBufferSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
  const issues = gpuBufferParts(model, shape)
    .filter((part) => part.bytes > limit)
    .map((part) => ({
      path: part.field,
      message:
        `${part.what} needs one GPU buffer of ${part.bytes} bytes, more than ${name} = ${limit} bytes of ${adapter}` +
        (part.field === IMAGE ? ' (the images are too large for this GPU)' : ''),
    }));
  if (issues.length > 0) throw new ConfigError(source, issues);
}
