import { config } from 'zod';

// No `new Function` in the page: zod's JIT, and even its probe for it (made when the contract's schemas are built, at
// import), would trip the strict CSP's script-src. This module is imported first by main.ts, before any schema exists.
config({ jitless: true });
