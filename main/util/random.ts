/**
 * Seeded random numbers. Hand-written because the engine needs one small, fast, serialisable generator with the
 * distributions of this field (normal, gamma, Dirichlet, shuffles) and stable streams derived from (seed, labels);
 * no maintained npm package offers all of that with a guaranteed-stable sequence.
 * Generator: xoshiro128** seeded through splitmix32.
 */
export class Rng {
  /**
   * xoshiro128**'s four state words, as int32 bits. A typed array, not four number fields: a 32-bit word does not fit
   * V8's 31-bit small integers, so a field holding one is a boxed double and every step paid for that.
   */
  private readonly s = new Int32Array(4);
  /** Box–Muller's second normal of the last pair, when `hasSpare` (a flag, not null: a field of number | null boxes each double). */
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    const s = this.s;
    for (let i = 0; i < 4; i++) s[i] = next();
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const s0 = s[0];
    const s1 = s[1];
    const s2 = s[2] ^ s0;
    const s3 = s[3] ^ s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Gamma(shape, 1) by Marsaglia and Tsang, with the shape < 1 boost. */
  gamma(shape: number): number {
    if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
    if (shape < 1) {
      const u = this.uniform();
      return this.gamma(shape + 1) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** One draw from Dirichlet(alpha). */
  dirichlet(alpha: number[]): number[] {
    const g = alpha.map((a) => this.gamma(a));
    const s = g.reduce((a, b) => a + b, 0);
    if (s === 0) {
      // Every gamma underflowed (tiny alpha): the limit is a point mass on one coordinate.
      const out = alpha.map(() => 0);
      out[this.int(alpha.length)] = 1;
      return out;
    }
    return g.map((x) => x / s);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(a: T[] | Int32Array | Uint32Array | Float64Array): typeof a {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A random permutation of 0..n-1: shuffle's swaps, in a loop of its own over the Int32Array (shuffle's is generic). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** k distinct indices from 0..n-1 (k <= n), in random order. */
  choose(n: number, k: number): Int32Array {
    if (k > n) throw new RangeError(`cannot choose ${k} distinct items from ${n}`);
    const p = this.permutation(n);
    return p.slice(0, k);
  }

  /**
   * Fill an array with standard normals: the values of normal() called out.length times, each Box–Muller pair written
   * in one turn of the loop (no spare kept between them).
   */
  fillNormal(out: Float32Array | Float64Array): typeof out {
    const n = out.length;
    let i = 0;
    if (n > 0 && this.hasSpare) {
      this.hasSpare = false;
      out[i++] = this.spare;
    }
    for (; i + 1 < n; i += 2) {
      let u = 0;
      while (u === 0) u = this.uniform();
      const v = this.uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      out[i] = r * Math.cos(2 * Math.PI * v);
      out[i + 1] = r * Math.sin(2 * Math.PI * v);
    }
    if (i < n) out[i] = this.normal();
    return out;
  }
}

/**
 * A stable 32-bit seed derived from a base seed and labels, so that every stage (split, generation g's sampling,
 * selection, ...) has its own stream and a resumed run reproduces exactly what an uninterrupted run would.
 */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  let h = (seed >>> 0) ^ 0x811c9dc5;
  const text = labels.join('/');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export function rngFor(seed: number, ...labels: (string | number)[]): Rng {
  return new Rng(deriveSeed(seed, ...labels));
}
