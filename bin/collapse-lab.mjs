#!/usr/bin/env node
// The command-line door. Runs the TypeScript engine through tsx's loader, so `npm ci` is the whole set-up.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/index.ts');
await main(process.argv);
