import { z } from 'zod';

/**
 * The TensorFlow.js backend a run asks for: `auto` (the engine's order of preference, main/backend/select-backend.ts)
 * or one backend by name. Every door's --backend option and the API's `backend` field read this one list.
 */
export const backendRequest = z.enum(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu']);
export type BackendRequest = z.infer<typeof backendRequest>;

export const backendRequests: readonly BackendRequest[] = backendRequest.options;
