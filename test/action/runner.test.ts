import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Runner,
  STEP_SUMMARY_LIMIT_BYTES,
  escapeData,
  escapeProperty,
  getBooleanInput,
  getInput,
  keyValueBlock,
  workflowCommand,
} from '../../src/action/runner.js';
import { UsageError } from '../../src/errors.js';
import { parseCommands, parseOutputFile } from './runner-files.js';

function files(): { dir: string; output: string; summary: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kafkaform-runner-'));
  const output = join(dir, 'output');
  const summary = join(dir, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  return { dir, output, summary };
}

describe('inputs', () => {
  it('reads INPUT_ variables the way the runner names them, trimmed', () => {
    const env = { 'INPUT_ALLOW-DELETE': ' true ', INPUT_GITHUB_TOKEN_X: 'no', 'INPUT_MY_INPUT': 'spaces' };
    assert.equal(getInput(env, 'allow-delete'), 'true');
    assert.equal(getInput(env, 'my input'), 'spaces');
    assert.equal(getInput(env, 'cluster'), '');
  });

  it('accepts the YAML boolean spellings and rejects anything else with one sentence', () => {
    for (const v of ['true', 'True', 'TRUE']) assert.equal(getBooleanInput({ INPUT_COMMENT: v }, 'comment', false), true);
    for (const v of ['false', 'False', 'FALSE']) assert.equal(getBooleanInput({ INPUT_COMMENT: v }, 'comment', true), false);
    assert.equal(getBooleanInput({}, 'comment', true), true);
    assert.throws(() => getBooleanInput({ INPUT_COMMENT: 'yes' }, 'comment', false), (e: unknown) => {
      assert.ok(e instanceof UsageError);
      assert.equal(e.message, 'Input "comment" must be true or false, not "yes".');
      return true;
    });
  });
});

describe('workflow commands', () => {
  it('escapes data and properties as the runner unescapes them', () => {
    assert.equal(escapeData('100%\r\nnext'), '100%25%0D%0Anext');
    assert.equal(escapeProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
    assert.equal(escapeData('a:b,c'), 'a:b,c');
  });

  it('round-trips hostile file names and messages through the runner parser', () => {
    const line = workflowCommand('error', { file: 'man,ifests/a:b%.yaml', line: 3, col: 7, title: undefined }, 'bad\nvalue: 50%, really');
    assert.equal(line.includes('\n'), false);
    const [parsed] = parseCommands(line);
    assert.deepEqual(parsed, {
      name: 'error',
      properties: { file: 'man,ifests/a:b%.yaml', line: '3', col: '7' },
      message: 'bad\nvalue: 50%, really',
    });
  });

  it('writes annotations with and without a location, and omits zero lines', () => {
    const lines: string[] = [];
    const runner = new Runner({}, (l) => lines.push(l));
    runner.error('plan failed');
    runner.warning('careful', { file: 'a.yaml', line: 0, col: 0 });
    runner.notice('fyi', { file: 'a.yaml', line: 2, col: 5, title: 'kafkaform' });
    runner.debug('stack\n  at x');
    assert.deepEqual(lines, [
      '::error::plan failed\n',
      '::warning file=a.yaml::careful\n',
      '::notice file=a.yaml,line=2,col=5,title=kafkaform::fyi\n',
      '::debug::stack%0A  at x\n',
    ]);
  });

  it('masks a secret and each line of a multi-line secret', () => {
    const lines: string[] = [];
    new Runner({}, (l) => lines.push(l)).mask('-----BEGIN-----\nabc%def\n-----END-----');
    const masked = parseCommands(lines.join('')).map((c) => [c.name, c.message]);
    assert.deepEqual(masked, [
      ['add-mask', '-----BEGIN-----'],
      ['add-mask', '-----BEGIN-----\nabc%def\n-----END-----'],
      ['add-mask', '-----END-----'],
      ['add-mask', 'abc%def'],
    ]);
  });
});

describe('redaction', () => {
  it('keeps masked values out of annotations, outputs and the summary, longest secret first', () => {
    const f = files();
    const lines: string[] = [];
    const runner = new Runner({ GITHUB_OUTPUT: f.output, GITHUB_STEP_SUMMARY: f.summary }, (l) => lines.push(l));
    runner.mask('abc');
    runner.mask('abcdef');
    runner.error('failed with abcdef and abc', { file: 'abc.yaml', line: 1 });
    runner.setOutput('x', 'v=abcdef');
    runner.appendSummary('token abc here');
    const commands = parseCommands(lines.join(''));
    assert.deepEqual(commands.filter((c) => c.name === 'error'), [{ name: 'error', properties: { file: '***.yaml', line: '1' }, message: 'failed with *** and ***' }]);
    assert.deepEqual(parseOutputFile(f.output), { x: 'v=***' });
    assert.equal(readFileSync(f.summary, 'utf8'), 'token *** here\n');
    assert.equal(runner.redact('xabcdefx'), 'x***x');
  });
});

describe('outputs and summary', () => {
  it('writes multi-line outputs with a random delimiter the runner parses back', () => {
    const f = files();
    const runner = new Runner({ GITHUB_OUTPUT: f.output, GITHUB_STEP_SUMMARY: f.summary }, () => undefined);
    runner.setOutput('has-changes', 'true');
    runner.setOutput('plan-json', '/tmp/a b/plan.json');
    runner.setOutput('text', 'line 1\nEOF\nline=3\n');
    assert.deepEqual(parseOutputFile(f.output), { 'has-changes': 'true', 'plan-json': '/tmp/a b/plan.json', text: 'line 1\nEOF\nline=3\n' });
    const delimiters = readFileSync(f.output, 'utf8').match(/<<(.+)/g) ?? [];
    assert.equal(new Set(delimiters).size, 3, 'every block has its own delimiter');
  });

  it('refuses a value that contains its delimiter', () => {
    assert.throws(() => keyValueBlock('x', 'a\nDELIM\nb', 'DELIM'), UsageError);
    assert.equal(keyValueBlock('x', 'v', 'D'), 'x<<D\nv\nD\n');
  });

  it('says what is missing outside a runner', () => {
    const runner = new Runner({}, () => undefined);
    assert.throws(() => runner.setOutput('a', 'b'), /GITHUB_OUTPUT is not set: run the action inside a GitHub Actions job\./);
    assert.throws(() => runner.appendSummary('x'), /GITHUB_STEP_SUMMARY is not set/);
  });

  it('appends to the summary and cuts it at a line with a note before 1 MiB', () => {
    const f = files();
    const runner = new Runner({ GITHUB_STEP_SUMMARY: f.summary }, () => undefined);
    runner.appendSummary('# head');
    const line = `${'é'.repeat(99)}\n`;
    runner.appendSummary(line.repeat(8000));
    runner.appendSummary('after the cut');
    const text = readFileSync(f.summary, 'utf8');
    assert.ok(Buffer.byteLength(text) <= STEP_SUMMARY_LIMIT_BYTES);
    assert.ok(text.startsWith('# head\n'));
    assert.match(text, /\n\n> \*\*Note:\*\* the summary was cut here: GitHub keeps at most 1 MiB of summary per step\.\n$/);
    assert.equal(text.includes('\uFFFD'), false);
    assert.equal(text.includes('after the cut'), false);
    const body = text.slice('# head\n'.length, text.indexOf('\n\n> **Note:**'));
    assert.ok(body.split('\n').slice(0, -1).every((l) => l === line.slice(0, -1)), 'cut at a line end');
  });
});
