#!/usr/bin/env node
// The `distillery` command. It runs the TypeScript engine through tsx, so that it works straight after
// `npm ci` on a fresh clone, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/index.ts');
