// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LabBridge, ApiEvent } from '../../main/contract/api';
import { ApiCallError, electronClient, serverClient, serverToken } from '../../renderer/src/api/client';

afterEach(() => vi.unstubAllGlobals());

describe('server client', () => {
  it('POSTs JSON with the token header and unwraps the envelope', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ ok: true, result: { presets: [] } }), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const c = serverClient({ origin: 'http://127.0.0.1:9', token: 'T' });
    expect(await c.call('presets.list', {})).toEqual({ presets: [] });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://127.0.0.1:9/api/presets.list');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>)['X-Lab-Token']).toBe('T');
    expect(c.fileUrl('run 1', 'gen-000/samples.png')).toBe('http://127.0.0.1:9/files/run%201/gen-000/samples.png?token=T');
  });

  it('throws ApiCallError with the contract’s code and issues', async () => {
    vi.stubGlobal(
      'fetch',
      async () =>
        new Response(
          JSON.stringify({ ok: false, error: { code: 'invalid-config', message: 'bad', issues: [{ path: 'seed', message: 'no' }] } }),
          { status: 400 },
        ),
    );
    const c = serverClient({ origin: 'http://x', token: 'T' });
    const err = await c.call('runs.start', { config: {} as never }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err.code).toBe('invalid-config');
    expect(err.issues).toEqual([{ path: 'seed', message: 'no' }]);
  });

  it('opens the event socket with the token in the protocol list and relays events', () => {
    const sockets: { url: string; protocols: string[]; onmessage?: (m: { data: string }) => void; close(): void }[] = [];
    class FakeWS {
      onopen?: () => void;
      onmessage?: (m: { data: string }) => void;
      onclose?: () => void;
      constructor(
        readonly url: string,
        readonly protocols: string[],
      ) {
        sockets.push(this as never);
      }
      close() {}
    }
    const c = serverClient({ origin: 'http://127.0.0.1:9', token: 'T', WebSocketImpl: FakeWS as never });
    const got: ApiEvent[] = [];
    c.onEvent((e) => got.push(e));
    expect(sockets[0].url).toBe('ws://127.0.0.1:9/events');
    expect(sockets[0].protocols).toEqual(['lab', 'lab-token.T']);
    sockets[0].onmessage?.({ data: JSON.stringify({ type: 'log', runId: 'r', message: 'm' }) });
    sockets[0].onmessage?.({ data: 'not json' });
    expect(got).toEqual([{ type: 'log', runId: 'r', message: 'm' }]);
  });

  it('takes the token from the URL and keeps it for reloads', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } as Storage;
    expect(serverToken({ search: '?token=abc' } as Location, storage)).toBe('abc');
    expect(serverToken({ search: '' } as Location, storage)).toBe('abc');
  });
});

describe('electron client', () => {
  it('calls the bridge’s named function and builds lab-file:// URLs', async () => {
    const bridge = {
      'runs.list': vi.fn(async () => ({ ok: true, result: { workspace: '/w', runs: [] } })),
      onEvent: vi.fn(() => () => undefined),
      fileUrlBase: 'lab-file://run/',
    } as unknown as LabBridge;
    const c = electronClient(bridge);
    expect(c.door).toBe('electron');
    expect(await c.call('runs.list', {})).toEqual({ workspace: '/w', runs: [] });
    expect(c.fileUrl('r', 'islands/island-00.png')).toBe('lab-file://run/r/islands/island-00.png');
  });
});
