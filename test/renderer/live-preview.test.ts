import { describe, expect, it } from 'vitest';
import { livePreview } from '../../renderer/src/stores/live-preview';

/** A live preview keeps only the newest request's answer, whatever order the answers come back in. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('livePreview', () => {
  it('an older answer arriving last is ignored, and loading ends with the newest', async () => {
    const p = livePreview<string>();
    const a = deferred<string>();
    const b = deferred<string>();
    const first = p.load(() => a.promise);
    const second = p.load(() => b.promise);
    expect(p.loading.value).toBe(true);
    b.resolve('new');
    await second;
    expect(p.answer.value).toBe('new');
    expect(p.loading.value).toBe(false);
    a.resolve('old');
    await first;
    expect(p.answer.value).toBe('new');
  });

  it('a failure empties the answer and keeps its message; the next success clears the error; clear empties both', async () => {
    const p = livePreview<number>();
    await p.load(async () => 1);
    await p.load(async () => {
      throw new Error('no such file: x.npy');
    });
    expect(p.answer.value).toBeNull();
    expect(p.error.value).toBe('no such file: x.npy');
    await p.load(async () => 2);
    expect([p.answer.value, p.error.value]).toEqual([2, '']);
    p.clear();
    expect([p.answer.value, p.error.value]).toEqual([null, '']);
  });

  it('an older failure arriving last does not overwrite the newest answer', async () => {
    const p = livePreview<number>();
    const a = deferred<number>();
    const first = p.load(() => a.promise);
    await p.load(async () => 7);
    a.reject(new Error('late'));
    await first;
    expect([p.answer.value, p.error.value, p.loading.value]).toEqual([7, '', false]);
  });
});
