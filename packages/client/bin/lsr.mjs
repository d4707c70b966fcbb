#!/usr/bin/env node
// The lsr CLI (docs/cli.md); the code is bundled into dist/ by `npm run build`.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
