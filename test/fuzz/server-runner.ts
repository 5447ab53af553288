/**
 * The fuzz suite's server process: forked by bad-inputs.fuzz.ts (node --import tsx), it serves a workspace on a free
 * port and tells the parent where. Its own process, so that an input that kills it is seen as a death.
 */
import { LabApi } from '../../main/api/lab-api';
import { startServer } from '../../main/server/server';

const workspace = process.argv[2];
const api = new LabApi({ workspace, openPath: async () => ({ opened: false, reason: 'fuzz' }) });
// short time-outs, so that the requests that stall (a body shorter than its Content-Length) end quickly
const server = await startServer({ api, port: 0, headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 });
process.send!({ port: server.port, token: server.token });
process.on('disconnect', () => {
  void server
    .close()
    .then(() => api.close())
    .finally(() => process.exit(0));
});
