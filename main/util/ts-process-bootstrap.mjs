// Entry of a child process started from TypeScript sources (spawn-process.ts): register tsx's loader, then import
// the engine module named by COLLAPSE_LAB_PROCESS_ENTRY.
import { register } from 'tsx/esm/api';

register();
await import(process.env.COLLAPSE_LAB_PROCESS_ENTRY);
