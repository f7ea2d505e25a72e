import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './step.js';

interface ActionYml {
  runs: { using: string; main: string };
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
}

interface Workflow {
  permissions?: Record<string, string>;
  jobs: Record<string, { permissions?: Record<string, string>; steps: Array<{ id?: string; uses?: string; with?: Record<string, unknown> }> }>;
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
const dir = join(ROOT, 'examples', 'github');
const workflows = readdirSync(dir)
  .filter((f) => f.endsWith('.yml'))
  .sort()
  .map((f) => ({ file: f, text: readFileSync(join(dir, f), 'utf8') }));

describe('action.yml', () => {
  it('declares every input the action reads and every output it sets', () => {
    const sources = readdirSync(join(ROOT, 'src', 'action'))
      .map((f) => readFileSync(join(ROOT, 'src', 'action', f), 'utf8'))
      .join('\n');
    const read = new Set([...sources.matchAll(/get(?:Boolean)?Input\(env, '([a-z-]+)'/g)].map((m) => m[1]));
    assert.deepEqual([...read].sort(), Object.keys(action.inputs).sort());
    const set = new Set([...sources.matchAll(/setOutput\('([a-z-]+)'/g)].map((m) => m[1]));
    assert.deepEqual([...set].sort(), Object.keys(action.outputs).sort());
    for (const [name, input] of Object.entries(action.inputs)) assert.ok(input.description.length > 10, name);
  });

  it('takes no credential as an input except the GitHub token', () => {
    const suspicious = Object.keys(action.inputs).filter((n) => /secret|password|key|credential|token/i.test(n));
    assert.deepEqual(suspicious, ['github-token']);
  });
});

describe('examples/github workflows', () => {
  it('has the three workflows', () => {
    assert.deepEqual(workflows.map((w) => w.file), ['kafkaform-apply.yml', 'kafkaform-drift.yml', 'kafkaform-plan.yml']);
  });

  for (const { file, text } of workflows) {
    it(`${file} uses only declared inputs and outputs, and pull-requests: write only where it comments`, () => {
      const wf = parse(text) as Workflow;
      for (const [name, job] of Object.entries(wf.jobs)) {
        const kafkaform = job.steps.filter((s) => s.uses?.endsWith('/kafkaform@v1'));
        assert.ok(kafkaform.length > 0, `${file} job ${name} runs the action`);
        for (const step of kafkaform) {
          for (const key of Object.keys(step.with ?? {})) assert.ok(key in action.inputs, `${file}: unknown input ${key}`);
        }
        const comments = kafkaform.some((s) => s.with?.['comment'] === true || s.with?.['comment'] === 'true');
        const permissions = { ...wf.permissions, ...job.permissions };
        assert.equal(permissions['pull-requests'] === 'write', comments, `${file} job ${name}: pull-requests: write exactly when commenting`);
        assert.ok(Object.values(permissions).every((p) => p === 'read' || p === 'write'), `${file} job ${name} names its permissions`);
        assert.notEqual(wf.permissions, undefined, `${file} sets workflow permissions (no default token scopes)`);
      }
      for (const m of text.matchAll(/steps\.[\w-]+\.outputs\.([\w-]+)/g)) {
        assert.ok(m[1]! in action.outputs, `${file}: unknown output ${m[1]}`);
      }
      assert.doesNotMatch(text, /pull_request_target/, 'forks never get secrets');
    });
  }
});
