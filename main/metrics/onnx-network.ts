import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { z } from 'zod';
import { readInputFile } from '../data/read-input-file';
import { resizeBilinearPlanar } from './image-resize';

/**
 * A feature network from an ONNX file (`features: onnx:PATH`), run by onnxruntime-node (an optional dependency) on the
 * CPU in the run's own process, in batches. The file comes with its declaration `PATH.json` (written by
 * scripts/export_feature_networks.py): the network's name and family, the layer its output is, and how images reach
 * it — input size, channel order, resize and normalisation — so that the features match the network's reference code
 * (pytorch-fid resizes to 299×299 bilinearly and maps [0, 1] to [−1, 1]). The model takes float32 images
 * [n, channels, height, width]; the engine's images (height × width × channels in [0, 1]) are widened from grey to
 * three channels where the network takes three, put in the declared channel order, resized and normalised here.
 */

export const onnxDeclaration = z
  .object({
    /** The network as reports name it, e.g. "inception-v3-pytorch-fid". */
    name: z.string().min(1),
    /** Names the Fréchet distance: FID for Inception-v3, FD_DINOv2 for DINOv2, "FD (name)" otherwise. */
    family: z.enum(['inception', 'dinov2', 'other']).default('other'),
    /** The layer whose output the features are, e.g. "pool3". */
    layer: z.string().min(1),
    /** Height and width of the network's input. */
    inputSize: z.tuple([z.number().int().min(1).max(4096), z.number().int().min(1).max(4096)]),
    /** Channel order of the input. */
    channels: z.enum(['rgb', 'bgr']).default('rgb'),
    /** How images of another size reach inputSize: PyTorch's bilinear (align_corners = false), or refused. */
    resize: z.enum(['bilinear', 'none']).default('bilinear'),
    /** Per channel (in input order), after the resize: (x − mean) / std, x in [0, 1]. */
    normalise: z
      .object({ mean: z.array(z.number()).min(1).max(3), std: z.array(z.number().positive()).min(1).max(3) })
      .default({ mean: [0], std: [1] }),
    /** Images per onnxruntime call. */
    batch: z.number().int().min(1).max(4096).default(32),
  })
  .strict();
export type OnnxDeclaration = z.infer<typeof onnxDeclaration>;

/** What a metric computed in this network's space records of it (main/contract/run-record.ts featureFingerprint). */
export interface OnnxNetworkIdentity {
  name: string;
  family: OnnxDeclaration['family'];
  layer: string;
  weightsSha256: string;
  inputSize: [number, number];
  preprocessing: string;
}

type OrtModule = typeof Ort;
let ortModule: OrtModule | undefined;

/**
 * onnxruntime-node, or an error saying it is not installed and what works without it. (`pkg` is the package's name;
 * a test passes another to see the error of a machine without it.)
 */
export function loadOnnxRuntime(pkg = 'onnxruntime-node'): OrtModule {
  if (ortModule && pkg === 'onnxruntime-node') return ortModule;
  try {
    const loaded = createRequire(import.meta.url)(pkg) as OrtModule;
    if (pkg !== 'onnxruntime-node') return loaded;
    ortModule = loaded;
  } catch (err) {
    throw new Error(
      `onnxruntime-node is not installed: ${(err as Error).message.split('\n')[0]}; onnx:PATH features need it ` +
        '(`npm install onnxruntime-node`, an optional dependency); the features raw, reference and pca:K work without it',
      { cause: err },
    );
  }
  return ortModule;
}

export class OnnxFeatureNetwork implements OnnxNetworkIdentity {
  readonly name: string;
  readonly family: OnnxDeclaration['family'];
  readonly layer: string;
  readonly inputSize: [number, number];
  readonly preprocessing: string;

  private constructor(
    readonly path: string,
    readonly declaration: OnnxDeclaration,
    readonly weightsSha256: string,
    private readonly session: Ort.InferenceSession,
    private readonly ort: OrtModule,
    /** Channels of the model's input (1 or 3). */
    readonly inputChannels: number,
    /** Values per image of the output (its dimensions after the batch, multiplied). */
    readonly featureDim: number,
  ) {
    this.name = declaration.name;
    this.family = declaration.family;
    this.layer = declaration.layer;
    this.inputSize = declaration.inputSize;
    this.preprocessing = describePreprocessing(declaration);
  }

  /** The network of an ONNX file and its declaration (PATH.json), loaded once per process and file content. */
  static load(path: string): Promise<OnnxFeatureNetwork> {
    const key = resolve(path);
    let p = cache.get(key);
    if (!p) {
      p = open(key);
      cache.set(key, p);
      p.catch(() => cache.delete(key));
    }
    return p;
  }

  /** An identity to record, without the session. */
  identity(): OnnxNetworkIdentity {
    const { name, family, layer, weightsSha256, inputSize, preprocessing } = this;
    return { name, family, layer, weightsSha256, inputSize: [...inputSize], preprocessing };
  }

  /**
   * Features of n images (rows of x, height × width × channels in [0, 1], `shape` [h, w, c]), row-major
   * [n, featureDim], in batches of the declared size.
   */
  async features(x: Float32Array, n: number, shape: readonly number[]): Promise<Float32Array> {
    if (shape.length !== 3) {
      throw new Error(`the ONNX feature network ${this.path} takes images; these samples are vectors of ${shape[0]} values`);
    }
    const [h, w, c] = shape;
    if (c !== 1 && c !== 3) throw new Error(`the ONNX feature network ${this.path} takes grey or RGB images; these have ${c} channels`);
    if (c === 3 && this.inputChannels === 1) {
      throw new Error(`the ONNX feature network ${this.path} takes grey images (1 channel); these have 3 channels`);
    }
    const [oh, ow] = this.inputSize;
    if (this.declaration.resize === 'none' && (h !== oh || w !== ow)) {
      throw new Error(
        `the ONNX feature network ${this.path} takes ${oh}×${ow} images and its declaration says resize "none"; ` +
          `these are ${h}×${w}: declare resize "bilinear" in ${this.path}.json, or give ${oh}×${ow} images`,
      );
    }
    const dim = h * w * c;
    if (x.length < n * dim) throw new RangeError(`${n} images of ${h}×${w}×${c} need ${n * dim} values, got ${x.length}`);
    const out = new Float32Array(n * this.featureDim);
    const channels = this.inputChannels;
    const perImage = channels * oh * ow;
    for (let first = 0; first < n; first += this.declaration.batch) {
      const count = Math.min(this.declaration.batch, n - first);
      const input = new Float32Array(count * perImage);
      for (let i = 0; i < count; i++) {
        this.prepare(x.subarray((first + i) * dim, (first + i + 1) * dim), h, w, c, input.subarray(i * perImage, (i + 1) * perImage));
      }
      const result = await this.run(new this.ort.Tensor('float32', input, [count, channels, oh, ow]), count);
      out.set(result, first * this.featureDim);
    }
    return out;
  }

  /** One image into the model's input: planar, widened, reordered, resized, normalised. */
  private prepare(img: Float32Array, h: number, w: number, c: number, dst: Float32Array): void {
    const channels = this.inputChannels;
    const planar = new Float32Array(channels * h * w);
    const bgr = this.declaration.channels === 'bgr' && channels === 3;
    for (let k = 0; k < channels; k++) {
      const from = c === 1 ? 0 : bgr ? 2 - k : k;
      for (let p = 0; p < h * w; p++) planar[k * h * w + p] = img[p * c + from];
    }
    const [oh, ow] = this.inputSize;
    if (oh === h && ow === w) dst.set(planar);
    else resizeBilinearPlanar(planar, channels, h, w, oh, ow, dst);
    const { mean, std } = this.declaration.normalise;
    for (let k = 0; k < channels; k++) {
      const m = mean[mean.length === 1 ? 0 : k];
      const s = std[std.length === 1 ? 0 : k];
      for (let p = k * oh * ow; p < (k + 1) * oh * ow; p++) dst[p] = (dst[p] - m) / s;
    }
  }

  private async run(input: Ort.Tensor, count: number): Promise<Float32Array> {
    let result: Ort.InferenceSession.OnnxValueMapType;
    try {
      result = await this.session.run({ [this.session.inputNames[0]]: input });
    } catch (err) {
      throw new Error(
        `the ONNX feature network ${this.path} refused an input of shape [${input.dims.join(', ')}]: ` +
          (err as Error).message.replace(/\s+/g, ' ').trim(),
        { cause: err },
      );
    }
    const t = result[this.session.outputNames[0]] as Ort.Tensor;
    const data = t.data;
    if (!(data instanceof Float32Array)) throw new Error(`the ONNX feature network ${this.path} gave ${t.type} features, not float32`);
    if (t.dims[0] !== count || data.length !== count * this.featureDim) {
      throw new Error(
        `the ONNX feature network ${this.path} gave an output of shape [${t.dims.join(', ')}] for ${count} images; ` +
          `expected [${count}, ${this.featureDim}]`,
      );
    }
    return data;
  }

  /** Open a session and find the input's channels and the feature dimension (from the metadata, or one probe). */
  static async create(path: string, declaration: OnnxDeclaration, sha: string, bytes: Uint8Array): Promise<OnnxFeatureNetwork> {
    const ort = loadOnnxRuntime();
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    } catch (err) {
      throw new Error(`${path} is not an ONNX model onnxruntime can run: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
    const meta = session.inputMetadata[0] as { shape?: readonly (number | string)[] } | undefined;
    const shape = meta?.shape;
    if (!shape || shape.length !== 4) {
      throw new Error(
        `the ONNX feature network ${path} takes an input of shape [${(shape ?? []).join(', ')}]; expected [n, channels, height, width]`,
      );
    }
    const channels = typeof shape[1] === 'number' ? shape[1] : 3;
    if (channels !== 1 && channels !== 3) throw new Error(`the ONNX feature network ${path} takes ${channels} channels; expected 1 or 3`);
    const [oh, ow] = declaration.inputSize;
    if ((typeof shape[2] === 'number' && shape[2] !== oh) || (typeof shape[3] === 'number' && shape[3] !== ow)) {
      throw new Error(
        `${path}.json declares an input of ${oh}×${ow} but the model takes [${shape.join(', ')}]: the declaration must ` +
          "match the model's input",
      );
    }
    const outMeta = session.outputMetadata[0] as { shape?: readonly (number | string)[] } | undefined;
    const tail = outMeta?.shape?.slice(1) ?? [];
    let featureDim = tail.length > 0 && tail.every((d) => typeof d === 'number') ? (tail as number[]).reduce((a, b) => a * b, 1) : 0;
    if (featureDim === 0) {
      const probe = await session.run({
        [session.inputNames[0]]: new ort.Tensor('float32', new Float32Array(channels * oh * ow), [1, channels, oh, ow]),
      });
      featureDim = (probe[session.outputNames[0]] as Ort.Tensor).data.length;
    }
    return new OnnxFeatureNetwork(path, declaration, sha, session, ort, channels, featureDim);
  }
}

const cache = new Map<string, Promise<OnnxFeatureNetwork>>();

async function open(path: string): Promise<OnnxFeatureNetwork> {
  const declaration = checkOnnxNetworkFiles(path);
  const bytes = readInputFile(path, 'ONNX feature network');
  const sha = createHash('sha256').update(bytes).digest('hex');
  return OnnxFeatureNetwork.create(path, declaration, sha, bytes);
}

/**
 * The checks a run makes before it starts (no session, a few small reads): onnxruntime-node is installed, the file
 * and its declaration exist, and the declaration is valid. Returns the declaration; throws naming what is wrong.
 */
export function checkOnnxNetworkFiles(path: string): OnnxDeclaration {
  const declarationPath = `${path}.json`;
  if (!existsSync(path)) throw new Error(`the ONNX feature network ${path} does not exist`);
  if (!existsSync(declarationPath)) {
    throw new Error(
      `the ONNX feature network ${path} has no declaration ${declarationPath} (name, layer, input size, resize, ` +
        'normalisation): scripts/export_feature_networks.py writes one beside each network it exports',
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readInputFile(declarationPath, 'ONNX declaration', { maxBytes: 1 << 20 }).toString('utf8'));
  } catch (err) {
    throw new Error(`the declaration ${declarationPath} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = onnxDeclaration.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`the declaration ${declarationPath} is invalid: ${issues}`);
  }
  loadOnnxRuntime();
  return parsed.data;
}

/** "bilinear to 299×299, rgb, (x − 0.5) / 0.5": how images reach the network, as a fingerprint records it. */
export function describePreprocessing(d: OnnxDeclaration): string {
  const [h, w] = d.inputSize;
  const size = d.resize === 'bilinear' ? `bilinear to ${h}×${w}` : `${h}×${w}, no resize`;
  const fmt = (v: number[]) => (v.length === 1 ? String(v[0]) : `[${v.join(', ')}]`);
  return `${size}, ${d.channels}, (x − ${fmt(d.normalise.mean)}) / ${fmt(d.normalise.std)}`;
}
