import type { ApiEnvelope, ApiError, ApiOperation, ApiRequestInput, ApiResponse, ApiEvent, LabBridge } from '../../../main/contract/api';

/**
 * The renderer's one API client. In Electron it calls `window.lab` (the preload's bridge over IPC); in a browser it
 * calls the local server (JSON POST /api/<op>, events over a WebSocket), with the token from the page's URL (never a
 * cookie: a browser sends cookies to every port of a host).
 */
export interface LabClient {
  readonly door: 'electron' | 'server';
  call<Op extends ApiOperation>(op: Op, request: ApiRequestInput<Op>): Promise<ApiResponse<Op>>;
  onEvent(listener: (e: ApiEvent) => void): () => void;
  /** URL of a file inside a run folder (for <img>). */
  fileUrl(runId: string, path: string): string;
  /** Whether the event stream is connected (the server door reconnects on its own). */
  connected(): boolean;
}

/** A failed call: the contract's error (code, message, per-field issues). */
export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  readonly issues: ApiError['issues'];
  constructor(
    readonly op: string,
    error: ApiError,
  ) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.issues = error.issues;
  }
}

function unwrap<T>(op: string, env: ApiEnvelope<T>): T {
  if (env.ok) return env.result;
  throw new ApiCallError(op, env.error);
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function electronClient(bridge: LabBridge): LabClient {
  return {
    door: 'electron',
    async call(op, request) {
      const fn = bridge[op] as unknown as (r: unknown) => Promise<ApiEnvelope<ApiResponse<typeof op>>>;
      return unwrap(op, await fn(request ?? {}));
    },
    onEvent: (listener) => bridge.onEvent(listener),
    fileUrl: (runId, path) => `${bridge.fileUrlBase}${encodeURIComponent(runId)}/${encodePath(path)}`,
    connected: () => true,
  };
}

export function serverClient(opts: { origin: string; token: string; WebSocketImpl?: typeof WebSocket }): LabClient {
  const listeners = new Set<(e: ApiEvent) => void>();
  let socket: WebSocket | null = null;
  let open = false;
  let retry = 500;
  const WS = opts.WebSocketImpl ?? WebSocket;

  const connect = () => {
    if (socket || listeners.size === 0) return;
    const url = opts.origin.replace(/^http/, 'ws') + '/events';
    const ws = new WS(url, ['lab', `lab-token.${opts.token}`]);
    socket = ws;
    ws.onopen = () => {
      open = true;
      retry = 500;
    };
    ws.onmessage = (m) => {
      let e: ApiEvent;
      try {
        e = JSON.parse(String(m.data)) as ApiEvent;
      } catch {
        return;
      }
      for (const l of listeners) l(e);
    };
    ws.onclose = () => {
      open = false;
      socket = null;
      if (listeners.size > 0) {
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 10_000);
      }
    };
  };

  return {
    door: 'server',
    async call(op, request) {
      const res = await fetch(`${opts.origin}/api/${op}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Lab-Token': opts.token },
        body: JSON.stringify(request ?? {}),
      });
      let env: ApiEnvelope<ApiResponse<typeof op>>;
      try {
        env = (await res.json()) as ApiEnvelope<ApiResponse<typeof op>>;
      } catch {
        throw new ApiCallError(op, { code: 'failed', message: `${op}: the server answered ${res.status} ${res.statusText}` });
      }
      return unwrap(op, env);
    },
    onEvent(listener) {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && socket) socket.close();
      };
    },
    // no cookie carries the token (cookies are not isolated by port): file URLs name it in their query
    fileUrl: (runId, path) =>
      `${opts.origin}/files/${encodeURIComponent(runId)}/${encodePath(path)}?token=${encodeURIComponent(opts.token)}`,
    connected: () => open,
  };
}

/** The token of the server door: from the page URL (?token=…), kept for reloads of this tab. */
export function serverToken(loc: Location, storage: Storage | null): string {
  const fromUrl = new URLSearchParams(loc.search).get('token');
  if (fromUrl) {
    storage?.setItem('lab-token', fromUrl);
    return fromUrl;
  }
  return storage?.getItem('lab-token') ?? '';
}

let current: LabClient | null = null;

/** The client of this page: `window.lab` when the preload provides it, else the server this page came from. */
export function useClient(): LabClient {
  if (!current) {
    const bridge = (window as unknown as { lab?: LabBridge }).lab;
    current = bridge
      ? electronClient(bridge)
      : serverClient({ origin: window.location.origin, token: serverToken(window.location, window.sessionStorage) });
  }
  return current;
}

/** Replace the client (tests). */
export function setClient(client: LabClient | null): void {
  current = client;
}
