// Brokers are killed by their own pid, and only when they are ours: stopBrokers kills a run's
// processes and removes its files; the next start kills what a killed run left behind, leaves live
// runs alone, and never kills an unrelated process that happens to hold a recorded pid.
// Stand-in processes play the JVMs: what is checked is which pids die, not Kafka.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { killStaleBrokers, stopBrokers, type TestBrokers } from './brokers.mjs';

const spawned: number[] = [];

// A process whose command line names dir, as a broker's names its run directory.
function standIn(dir: string): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', join(dir, 'server.properties')], {
    stdio: 'ignore',
  });
  spawned.push(child.pid ?? -1);
  return new Promise((ready) => child.once('spawn', () => ready(child.pid ?? -1)));
}

function alive(pid: number): boolean {
  // A killed child of ours stays a zombie until it is reaped: that counts as gone.
  const stat = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
  return stat !== '' && !stat.startsWith('Z');
}

async function exited(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

// The pid of a process that has exited: an owner that is gone.
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('broker clean-up', () => {
  const saved = process.env['XDG_CACHE_HOME'];
  let cache: string;
  let runs: string;

  before(() => {
    cache = mkdtempSync(join(tmpdir(), 'broker-cleanup-'));
    process.env['XDG_CACHE_HOME'] = cache;
    runs = join(cache, 'kafkaform', 'broker-runs');
    mkdirSync(runs, { recursive: true });
  });

  after(() => {
    for (const pid of spawned) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone: most are killed by the code under test.
      }
    }
    if (saved === undefined) delete process.env['XDG_CACHE_HOME'];
    else process.env['XDG_CACHE_HOME'] = saved;
    rmSync(cache, { recursive: true, force: true });
  });

  function run(name: string, owner: number, pids: number[]): string {
    const dir = join(cache, name);
    writeFileSync(join(runs, `${basename(dir)}.json`), JSON.stringify({ owner, dir, pids }));
    return dir;
  }

  it('kills the brokers of a run whose owner is gone and removes its files', async () => {
    const dir = join(cache, 'kafkaform-brokers-stale');
    mkdirSync(dir);
    const broker = await standIn(dir);
    run(basename(dir), deadPid(), [broker]);
    killStaleBrokers();
    assert.ok(await exited(broker));
    assert.equal(existsSync(dir), false);
    assert.deepEqual(readdirSync(runs), []);
  });

  it('leaves a live run alone', async () => {
    const dir = join(cache, 'kafkaform-brokers-live');
    mkdirSync(dir);
    const broker = await standIn(dir);
    run(basename(dir), process.pid, [broker]);
    killStaleBrokers();
    assert.ok(alive(broker));
    assert.ok(existsSync(dir));
    rmSync(join(runs, 'kafkaform-brokers-live.json'));
  });

  it('does not kill a process that reused a recorded pid', async () => {
    const other = join(cache, 'unrelated');
    mkdirSync(other);
    const unrelated = await standIn(other);
    run('kafkaform-brokers-reused', deadPid(), [unrelated]);
    killStaleBrokers();
    assert.ok(alive(unrelated));
    assert.deepEqual(readdirSync(runs), []);
  });

  it('stopBrokers kills every broker of a state by pid and removes the run directory', async () => {
    const dir = join(cache, 'kafkaform-brokers-stopped');
    mkdirSync(dir);
    const [single, t1, t2, t3] = await Promise.all([standIn(dir), standIn(dir), standIn(dir), standIn(dir)]);
    const state = {
      version: 'test',
      dir,
      single: { sasl: '', ssl: '', caFile: '', users: { admin: '', alice: '', nobody: '' }, pids: [single] },
      trio: { bootstrap: [], brokers: [], pids: [t1, t2, t3] },
    } satisfies TestBrokers;
    stopBrokers(state);
    for (const pid of [single, t1, t2, t3]) assert.ok(await exited(pid), `pid ${pid}`);
    assert.equal(existsSync(dir), false);
  });
});
