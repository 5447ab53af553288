import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/random';
import { ParamSet } from './tf-params';

/**
 * The compact U-Net of the DDPM: two resolutions (h×w and h/2×w/2), channels c1 and c2, a sinusoidal time embedding
 * through a two-layer MLP added inside every residual block, GroupNorm (up to 8 groups) + SiLU before each conv.
 *   in conv 3×3 (c → c1) → ResBlock(c1) ──────────────── skip ───────────────┐
 *   → down conv 3×3 s2 (c1 → c2) → ResBlock(c2) → ResBlock(c2)                │
 *   → up transposed conv 4×4 s2 (c2 → c1) → concat(skip) → ResBlock(2c1 → c1) → norm, SiLU, conv 3×3 (c1 → c)
 * Upsampling uses a transposed conv (not resize + conv) so every op trains on every backend. Zero-initialised output
 * conv, as is usual for ε-prediction nets, so training starts from ε̂ = 0.
 */
export interface UnetArch {
  h: number;
  w: number;
  c: number;
  c1: number;
  c2: number;
  timeEmbedding: number;
}

function groupsFor(ch: number): number {
  for (let g = Math.min(8, ch); g > 1; g--) if (ch % g === 0) return g;
  return 1;
}

export class DdpmUnet {
  readonly p = new ParamSet('ddpm');

  constructor(readonly arch: UnetArch) {}

  init(rng: Rng): void {
    const { c, c1, c2, timeEmbedding: e } = this.arch;
    const conv = (name: string, k: number, cin: number, cout: number) => {
      const b = 1 / Math.sqrt(cin * k * k);
      this.p.uniform(`${name}.w`, [k, k, cin, cout], b, rng);
      this.p.uniform(`${name}.b`, [cout], b, rng);
    };
    const dense = (name: string, cin: number, cout: number) => {
      const b = 1 / Math.sqrt(cin);
      this.p.uniform(`${name}.w`, [cin, cout], b, rng);
      this.p.uniform(`${name}.b`, [cout], b, rng);
    };
    const norm = (name: string, ch: number) => {
      this.p.constant(`${name}.g`, [ch], 1);
      this.p.constant(`${name}.b`, [ch], 0);
    };
    const res = (name: string, cin: number, cout: number) => {
      norm(`${name}.n1`, cin);
      conv(`${name}.c1`, 3, cin, cout);
      dense(`${name}.t`, e, cout);
      norm(`${name}.n2`, cout);
      conv(`${name}.c2`, 3, cout, cout);
      if (cin !== cout) conv(`${name}.skip`, 1, cin, cout);
    };
    dense('temb1', e, e);
    dense('temb2', e, e);
    conv('in', 3, c, c1);
    res('r1', c1, c1);
    conv('down', 3, c1, c2);
    res('r2', c2, c2);
    res('r3', c2, c2);
    // transposed conv filter [4, 4, out, in]
    const bt = 1 / Math.sqrt(c2 * 16);
    this.p.uniform('up.w', [4, 4, c1, c2], bt, rng);
    this.p.uniform('up.b', [c1], bt, rng);
    res('r4', 2 * c1, c1);
    norm('out.n', c1);
    this.p.constant('out.w', [3, 3, c1, c], 0);
    this.p.constant('out.b', [c], 0);
  }

  private g(n: string): tf.Tensor {
    return this.p.get(n);
  }

  private conv(x: tf.Tensor4D, name: string, stride = 1): tf.Tensor4D {
    const w = this.g(`${name}.w`) as tf.Tensor4D;
    const pad = w.shape[0] === 1 ? 0 : 1;
    return tf.add(tf.conv2d(x, w, stride, pad), this.g(`${name}.b`)) as tf.Tensor4D;
  }

  private dense(x: tf.Tensor2D, name: string): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.g(`${name}.w`) as tf.Tensor2D), this.g(`${name}.b`)) as tf.Tensor2D;
  }

  private groupNorm(x: tf.Tensor4D, name: string): tf.Tensor4D {
    const [b, h, w, ch] = x.shape;
    const g = groupsFor(ch);
    const r = tf.reshape(x, [b, h, w, g, ch / g]);
    const { mean, variance } = tf.moments(r, [1, 2, 4], true);
    const n = tf.reshape(tf.div(tf.sub(r, mean), tf.sqrt(tf.add(variance, 1e-5))), [b, h, w, ch]);
    return tf.add(tf.mul(n, this.g(`${name}.g`)), this.g(`${name}.b`)) as tf.Tensor4D;
  }

  private resBlock(x: tf.Tensor4D, temb: tf.Tensor2D, name: string): tf.Tensor4D {
    let h = this.conv(silu(this.groupNorm(x, `${name}.n1`)), `${name}.c1`);
    const t = this.dense(temb, `${name}.t`);
    h = tf.add(h, tf.reshape(t, [t.shape[0], 1, 1, t.shape[1]])) as tf.Tensor4D;
    h = this.conv(silu(this.groupNorm(h, `${name}.n2`)), `${name}.c2`);
    const skip = this.p.vars.has(`${name}.skip.w`) ? this.conv(x, `${name}.skip`) : x;
    return tf.add(skip, h) as tf.Tensor4D;
  }

  /** ε̂(x_t, t) for x [B, h, w, c] and the sinusoidal embeddings of t [B, timeEmbedding]. */
  apply(x: tf.Tensor4D, tSin: tf.Tensor2D): tf.Tensor4D {
    const { h: H, w: W, c1 } = this.arch;
    const b = x.shape[0];
    const temb = this.dense(silu2(this.dense(tSin, 'temb1')), 'temb2');
    const h0 = this.conv(x, 'in');
    const h1 = this.resBlock(h0, temb, 'r1');
    let d = this.conv(h1, 'down', 2);
    d = this.resBlock(d, temb, 'r2');
    d = this.resBlock(d, temb, 'r3');
    const u = tf.add(tf.conv2dTranspose(d, this.g('up.w') as tf.Tensor4D, [b, H, W, c1], 2, 1), this.g('up.b')) as tf.Tensor4D;
    const cat = tf.concat([u, h1], 3) as tf.Tensor4D;
    const r = this.resBlock(cat, temb, 'r4');
    return this.conv(silu(this.groupNorm(r, 'out.n')), 'out');
  }
}

function silu(x: tf.Tensor4D): tf.Tensor4D {
  return tf.mul(x, tf.sigmoid(x)) as tf.Tensor4D;
}

function silu2(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.sigmoid(x)) as tf.Tensor2D;
}

/** Sinusoidal embeddings (Vaswani et al., as in DDPM) of integer steps t: [sin(t·f_i), cos(t·f_i)], f_i = 10000^(−i/(d/2−1)). */
export function timestepEmbedding(ts: ArrayLike<number>, dim: number): Float32Array {
  const half = Math.floor(dim / 2);
  const out = new Float32Array(ts.length * dim);
  for (let r = 0; r < ts.length; r++) {
    for (let i = 0; i < half; i++) {
      const f = Math.exp((-Math.log(10000) * i) / Math.max(1, half - 1));
      out[r * dim + i] = Math.sin(ts[r] * f);
      out[r * dim + half + i] = Math.cos(ts[r] * f);
    }
  }
  return out;
}
