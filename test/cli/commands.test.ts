// The command functions as the GitHub Action calls them: typed options and an Io, no process globals.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { apply, drift, plan, validate, type Io } from '../../src/commands/index.js';
import { main } from '../../src/cli/main.js';
import { copyExample, read, ROOT } from './helpers.js';

const ESC = '\u001b';

function fakeIo(options: { isTTY?: boolean; env?: Record<string, string>; answer?: string; cwd?: string } = {}): Io & {
  out: string;
  err: string;
  questions: string[];
} {
  const io = {
    out: '',
    err: '',
    questions: [] as string[],
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    canPrompt: options.isTTY ?? false,
    prompt: async (question: string) => {
      io.questions.push(question);
      if (options.answer === undefined) throw new Error('no question expected');
      return options.answer;
    },
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
  };
  return io;
}

describe('commands', () => {
  it('colour only on a terminal, and never with NO_COLOR', async () => {
    const paths = [join(ROOT, 'examples/quickstart')];
    const tty = fakeIo({ isTTY: true });
    assert.equal(await plan({ paths }, tty), 0);
    assert.ok(tty.out.includes(`${ESC}[`), 'coloured on a terminal');
    const noColor = fakeIo({ isTTY: true, env: { NO_COLOR: '1' } });
    assert.equal(await plan({ paths }, noColor), 0);
    assert.ok(!noColor.out.includes(ESC));
    const pipe = fakeIo();
    assert.equal(await plan({ paths }, pipe), 0);
    assert.ok(!pipe.out.includes(ESC));
    assert.equal(pipe.out, noColor.out);
  });

  it('apply asks on a terminal and only "yes" goes ahead', async () => {
    const dir = copyExample('quickstart');
    const file = join(dir, 'live-state.json');
    const before = read(file);
    const declined = fakeIo({ isTTY: true, answer: 'y', cwd: dir, env: { NO_COLOR: '1' } });
    assert.equal(await apply({}, declined), 1);
    assert.deepEqual(declined.questions, ['\nApply these changes to cluster local? Only "yes" is accepted: ']);
    assert.equal(declined.err, 'Apply cancelled; nothing was changed.\n');
    assert.equal(read(file), before);

    const accepted = fakeIo({ isTTY: true, answer: 'yes\n', cwd: dir, env: { NO_COLOR: '1' } });
    assert.equal(await apply({ quiet: true }, accepted), 0);
    assert.notEqual(read(file), before);
    assert.equal(await drift({}, fakeIo({ cwd: dir })), 2, 'the held-back deletion is still drift');
    assert.equal(await plan({ detailedExitcode: true }, fakeIo({ cwd: dir })), 0);
  });

  it('--auto-approve skips the question', async () => {
    const dir = copyExample('quickstart');
    const io = fakeIo({ isTTY: true, cwd: dir });
    assert.equal(await apply({ autoApprove: true, quiet: true }, io), 0);
    assert.deepEqual(io.questions, []);
  });

  it('configKeys.ignoredPrefixes adds to the platform-managed prefixes, never replacing them', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'kafkaform-prefixes-'));
    const onTopic = (value: string) => ({ value, setOnTopic: true, source: 'DYNAMIC_TOPIC_CONFIG', readOnly: false, sensitive: false });
    writeFileSync(
      join(dir, 'live.json'),
      JSON.stringify({
        formatVersion: 1,
        source: { type: 'confluent' },
        clusterId: 'lkc-1',
        topics: [
          {
            name: 't',
            partitions: 1,
            replicationFactor: 3,
            internal: false,
            configs: { 'confluent.placement.constraints': onTopic('{}'), 'retention.ms': onTopic('1000'), 'segment.ms': onTopic('2000') },
          },
        ],
        acls: [],
      }),
    );
    const manifest = (ignored: string) =>
      `apiVersion: kafkaform/v1\nclusters: { c: { type: snapshot, path: ./live.json } }\n${ignored}` +
      `topics: [{ name: t, partitions: 1, replicationFactor: 3, config: { retention.ms: 1000 } }]\n`;
    writeFileSync(join(dir, 'k.yaml'), manifest(''));
    const plain = fakeIo({ cwd: dir });
    assert.equal(await plan({ detailedExitcode: true }, plain), 2);
    assert.match(plain.out, /- segment\.ms/);
    assert.doesNotMatch(plain.out, /confluent\./, 'the platform key is left alone');
    writeFileSync(join(dir, 'k.yaml'), manifest('configKeys: { ignoredPrefixes: [segment.] }\n'));
    const ignoring = fakeIo({ cwd: dir });
    assert.equal(await plan({ detailedExitcode: true }, ignoring), 0, ignoring.out);
  });

  it('stack traces only with --debug', async () => {
    const dir = copyExample('quickstart');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'live-state.json'), 'not json');
    const quiet = fakeIo({ cwd: dir });
    assert.equal(await validate({}, quiet), 0, 'validate does not need the snapshot');
    assert.equal(await plan({}, quiet), 1);
    assert.match(quiet.err, /^error: snapshot .*live-state\.json is not valid JSON: .*\n$/);
    const debug = fakeIo({ cwd: dir });
    assert.equal(await main(['plan', '--debug'], debug), 1);
    assert.match(debug.err, /^error: snapshot .*is not valid JSON.*\n.*ConfigError.*\n\s+at /);
  });
});
