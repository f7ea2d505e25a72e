// Runs every test/**/*.test.ts with node's test runner: node 20 does not expand globs itself.
// The tests get a temporary directory of their own (TMPDIR), removed afterwards, so the scratch
// copies, snapshots and bundles they make never pile up in the machine's /tmp.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? collect(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []))
    .sort();
}

const files = process.argv.length > 2 ? process.argv.slice(2) : collect('test');
const scratch = mkdtempSync(join(tmpdir(), 'kafkaform-tests-'));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: scratch },
});
rmSync(scratch, { recursive: true, force: true });
process.exit(r.status ?? 1);
