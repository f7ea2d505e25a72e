#!/usr/bin/env node
// The CLI bundled by `npm run build` (scripts/bundle-cli.mjs): it starts several times faster
// than loading the ~100 modules of src/ one by one.
import { main } from '../dist/bundle/main.js';

process.exitCode = await main(process.argv.slice(2));
