#!/usr/bin/env node
// The CLI bundled by `npm run build`, compiled with its code cache (./load-cli.js).
import { loadCli } from './load-cli.js';

process.exitCode = await loadCli().cli.main(process.argv.slice(2));
