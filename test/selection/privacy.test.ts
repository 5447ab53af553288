import { afterAll, describe, expect, it } from 'vitest';
import type { Samples } from '../../main/data/samples';
import { projectFeatures } from '../../main/islands/island-agent';
import type { IslandChannel } from '../../main/islands/island-channel';
import { messageBytes, type IslandRequest, type IslandResponse, type ResponseOf } from '../../main/islands/protocol';
import { startIslands } from '../../main/islands/start-islands';
import { schemeNames, selectionCatalog } from '../../main/contract/selection/catalog';
import { selectionFeatures } from '../../main/selection/feature-space';
import { getScheme } from '../../main/selection/registry';
import { Rng } from '../../main/util/random';

/**
 * The islands keep their data: every answer any scheme receives, in every feature space, is checked for a row (at any
 * offset) equal to one of an island's samples, in the raw space and in the projected one; the channels the selector
 * holds carry no island data; the bytes each island sends are counted.
 */
const d = 5;
const rng = new Rng(21);
const islandData: Samples[] = [0, 1, 2].map((k) => {
  const n = 40 + 10 * k;
  // rounded values make accidental float equality likelier, so the check is not vacuous
  return { x: Float32Array.from({ length: n * d }, (_, q) => Math.round((rng.normal() + (q % d === k ? 2 : 0)) * 8) / 8), n, dim: d };
});
const candidates: Samples = { x: Float32Array.from({ length: 120 * d }, () => Math.round(rng.normal() * 1.5 * 8) / 8), n: 120, dim: d };

const fleet = startIslands(islandData, 0, { mode: 'workers', workers: 2 });
afterAll(() => fleet.close());

class RecordingChannel implements IslandChannel {
  readonly responses: IslandResponse[] = [];
  constructor(private readonly inner: IslandChannel) {}
  get id() {
    return this.inner.id;
  }
  get bytesSent() {
    return this.inner.bytesSent;
  }
  resetCounters() {
    this.inner.resetCounters();
  }
  async request<R extends IslandRequest>(req: R): Promise<ResponseOf<R>> {
    const res = await this.inner.request(req);
    this.responses.push(res);
    return res;
  }
}

function rowKeys(s: Samples): Set<string> {
  const keys = new Set<string>();
  for (let i = 0; i < s.n; i++) keys.add(Array.from(s.x.subarray(i * s.dim, (i + 1) * s.dim), (v) => Math.fround(v)).join(','));
  return keys;
}

/** Every window of `dim` consecutive numbers in every array of the message, at every offset. */
function leaks(msg: unknown, keys: Set<string>, dim: number): number {
  let found = 0;
  const walk = (v: unknown) => {
    if (v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v) || Array.isArray(v)) {
      const a = Array.from(v as ArrayLike<number>);
      if (typeof a[0] === 'number') {
        for (let o = 0; o + dim <= a.length; o++)
          if (
            keys.has(
              a
                .slice(o, o + dim)
                .map((x) => Math.fround(x))
                .join(','),
            )
          )
            found++;
        return;
      }
    }
    for (const x of Object.values(v as Record<string, unknown>)) walk(x);
  };
  walk(msg);
  return found;
}

describe('islands keep their data', () => {
  const rawKeys = new Set(islandData.flatMap((s) => [...rowKeys(s)]));

  it('the channels the selector holds carry no island data', () => {
    for (const c of fleet.channels) {
      for (const v of Object.values(c)) expect(ArrayBuffer.isView(v)).toBe(false);
      expect(Object.keys(c).some((k) => /data|samples/i.test(k))).toBe(false);
    }
  });

  for (const spec of ['raw', 'pca:3']) {
    it(`no answer of any scheme holds an island sample (features ${spec})`, async () => {
      const recorders = fleet.channels.map((c) => new RecordingChannel(c));
      let asked = 0;
      for (const name of schemeNames) {
        const refs = selectionCatalog[name].usesReference ? (['local', 'per-island', 'pooled'] as const) : (['local'] as const);
        for (const reference of refs) {
          const features = selectionFeatures(spec, recorders, { scheme: name, datasetName: 'test' });
          for (const r of recorders) r.resetCounters();
          const before = recorders.map((r) => r.responses.length);
          const view = await features.view(candidates);
          const params = name === 'ot-barycenter' ? { support: 30, rounds: 3 } : {};
          const res = await getScheme(name).select({ ...view, keep: 30, islands: recorders, reference, verifier: 1, seed: 1, params });
          expect(new Set(res.selected).size).toBe(30);
          // the bytes counted are the bytes of the answers received
          recorders.forEach((r, k) => {
            const got = r.responses.slice(before[k]).reduce((s, m) => s + messageBytes(m), 0);
            expect(r.bytesSent).toBe(got);
          });
          asked += recorders.reduce((s, r, k) => s + r.responses.length - before[k], 0);
        }
      }
      expect(asked).toBeGreaterThan(20);
      const projectedKeys = new Set<string>();
      if (spec !== 'raw') {
        // the PCA was fitted from the islands' raw moments (d × d statistics), asked once
        expect(recorders[0].responses.some((r) => r.type === 'moments' && r.dim === d)).toBe(true);
        // the projection the schemes used, applied here to the island data to check the projected rows too
        const view = await selectionFeatures(spec, fleet.channels, { scheme: 'center', datasetName: 'test' }).view(candidates);
        for (const s of islandData) for (const k of rowKeys(projectFeatures(s, view.features))) projectedKeys.add(k);
      }
      for (const r of recorders) {
        for (const m of r.responses) {
          expect(leaks(m, rawKeys, d)).toBe(0);
          if (projectedKeys.size) expect(leaks(m, projectedKeys, 3)).toBe(0);
        }
      }
    });
  }

  it('the check finds a row when one is there', () => {
    const fake = { type: 'ot-interpolate', points: Float32Array.from([9, ...islandData[2].x.subarray(3 * d, 4 * d), 7]) };
    expect(leaks(fake, rawKeys, d)).toBe(1);
  });
});
