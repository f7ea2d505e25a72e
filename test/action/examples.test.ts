import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './step.js';
import { ACTION_COMMANDS } from '../../src/action/context.js';

interface ActionYml {
  runs: { using: string; main: string };
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
}

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface Job {
  if?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown> };
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  steps: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;
const isAction = (s: Step): boolean => s.uses?.endsWith('/kafkaform@v1') === true;
const workflow = (file: string): Workflow => parse(readFileSync(join(ROOT, 'examples', 'github', file), 'utf8')) as Workflow;
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
    const read = new Set([...sources.matchAll(/get(?:Boolean|WholeNumber)?Input\(env, '([a-z-]+)'/g)].map((m) => m[1]));
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
        const kafkaform = job.steps.filter(isAction);
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
      const ids = new Set(Object.values(wf.jobs).flatMap((job) => job.steps.filter(isAction).map((step) => step.id)));
      for (const m of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        if (ids.has(m[1])) assert.ok(m[2]! in action.outputs, `${file}: unknown output ${m[2]}`);
      }
      assert.doesNotMatch(text, /pull_request_target/, 'forks never get secrets');
      for (const job of Object.values(wf.jobs)) {
        for (const step of job.steps.filter(isAction)) assert.ok((ACTION_COMMANDS as readonly unknown[]).includes(step.with?.['command']), `${file}: command`);
      }
    });
  }

  it('run every cluster job as a matrix over clusters, apply in one concurrency group per cluster that nothing else joins', () => {
    const jobs = workflows.flatMap(({ file }) => Object.entries(workflow(file).jobs).map(([name, job]) => ({ file, name, job })));
    const clusterJobs = jobs.filter(({ job }) => job.steps.some((s) => isAction(s) && s.with?.['command'] !== 'validate'));
    assert.ok(clusterJobs.length >= 4);
    for (const { file, name, job } of clusterJobs) {
      assert.deepEqual(job.strategy?.matrix?.['cluster'], ['dev', 'prod'], `${file} ${name}`);
      assert.equal(job.strategy?.['fail-fast'], false, `${file} ${name}: one cluster's failure never cancels another's job`);
      for (const step of job.steps.filter(isAction)) assert.match(String(step.with?.['cluster']), /^\$\{\{ matrix\.cluster \}\}/, `${file} ${name}`);
    }
    const apply = workflow('kafkaform-apply.yml').jobs['apply'];
    assert.deepEqual(apply?.concurrency, { group: 'kafkaform-${{ matrix.cluster }}', 'cancel-in-progress': false });
    const groups = jobs.filter(({ file, job }) => file !== 'kafkaform-apply.yml' && job.concurrency).map(({ job }) => job.concurrency!.group);
    assert.ok(!groups.includes(apply!.concurrency!.group), 'a waiting plan or drift job would replace a waiting apply');
  });

  it('validate every pull request, forks included, with no secret, and give forks a plan that needs no successful drift run', () => {
    const plan = workflow('kafkaform-plan.yml');
    const validate = Object.values(plan.jobs).find((job) => job.steps.some((s) => isAction(s) && s.with?.['command'] === 'validate'));
    assert.ok(validate, 'a validate job');
    assert.equal(validate.if, undefined, 'it runs for forks too');
    assert.deepEqual(validate.permissions, { contents: 'read' });
    assert.doesNotMatch(JSON.stringify(validate), /secrets\./);

    const fork = plan.jobs['plan-fork'];
    assert.ok(fork);
    assert.match(fork.if ?? '', /!= github\.repository/);
    assert.equal(fork.needs, undefined);
    assert.doesNotMatch(JSON.stringify(fork), /secrets\.|--status|conclusion/, 'whatever the drift run concluded');
    const download = fork.steps.find((s) => s.id === 'snapshot');
    assert.equal(download?.env?.['NAME'], 'kafkaform-snapshot-${{ matrix.cluster }}');
    assert.match(download?.run ?? '', /::notice::No snapshot of cluster .* the offline plan is skipped/);
    const offline = fork.steps.find(isAction);
    assert.equal(offline?.if, "steps.snapshot.outputs.found == 'true'");
    const uploads = workflow('kafkaform-drift.yml').jobs['drift']?.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact')) ?? [];
    assert.deepEqual(uploads.map((s) => [s.if?.startsWith('always()'), s.with?.['name']]), [[true, 'kafkaform-snapshot-${{ matrix.cluster }}']]);
  });

  it('comment the apply result, which needs pull-requests: write', () => {
    const apply = workflow('kafkaform-apply.yml').jobs['apply'];
    assert.equal(apply?.steps.find(isAction)?.with?.['comment'], true);
  });
});
