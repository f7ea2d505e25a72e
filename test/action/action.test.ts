import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHubSimulator, type GitHubSimulator } from '../support/github-simulator.js';
import { V3Simulator } from '../support/v3-simulator.js';
import { renderMarkdown } from '../../src/render/index.js';
import type { Plan } from '../../src/model.js';
import { pullRequestEvent, runStep, type StepOptions, type StepResult } from './step.js';

const TOKEN = 'ghs_Wr1teT0kenForTheSimulator0000000000';
const READ_TOKEN = 'ghs_Re4dOnlyT0kenForTheSimulat0r000000';
const API_KEY = 'KEYq7Z3xR9vLm2Np';
const API_SECRET = 's3cr3t/Value+With=Chars%41';
const MARKER = '<!-- kafkaform:plan cluster=prod -->';
/** A commit merged by pull request 14, and one pushed to main directly. */
const MERGED = '5ca1ab1e0123456789abcdef0123456789abcdef';
const DIRECT = 'd1ec7000123456789abcdef0123456789abcdef0';

const CLUSTERS = `apiVersion: kafkaform/v1
clusters:
  prod:
    type: snapshot
    path: ./live.json
  cloud:
    type: confluent
    restUrl: https://pkc-123.eu-west-1.aws.confluent.cloud/kafka/v3
    clusterId: lkc-abc123
    auth:
      type: basic
      username: "\${KAFKA_API_KEY}"
      password: "\${KAFKA_API_SECRET}"
`;

const TOPICS = `apiVersion: kafkaform/v1
scope:
  topics: ["orders."]
topicDefaults:
  partitions: 3
  replicationFactor: 3
topics:
  - name: orders.created.v1
    partitions: 6
    config:
      retention.ms: 7d
  - name: orders.shipped.v1
`;

function config(value: string, inherited: string): Record<string, unknown> {
  return { value, setOnTopic: true, source: 'DYNAMIC_TOPIC_CONFIG', inheritedValue: inherited, readOnly: false, sensitive: false };
}

const LIVE: { topics: Array<{ name: string; partitions: number; replicationFactor: number; internal: boolean; configs: Record<string, unknown> }> } & Record<string, unknown> = {
  formatVersion: 1,
  source: { type: 'snapshot' },
  clusterId: 'lkc-test',
  topics: [
    {
      name: 'orders.created.v1',
      partitions: 3,
      replicationFactor: 3,
      internal: false,
      configs: { 'retention.ms': config('86400000', '604800000') },
    },
  ],
  acls: [],
};

/** A repository checkout with the manifests under kafka/. */
function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'kafkaform-ws-'));
  mkdirSync(join(dir, 'kafka'));
  const all = { 'clusters.yaml': CLUSTERS, 'topics.yaml': TOPICS, 'live.json': `${JSON.stringify(LIVE, null, 2)}\n`, ...files };
  for (const [name, text] of Object.entries(all)) writeFileSync(join(dir, 'kafka', name), text);
  return dir;
}

const SECRET_ENV = { KAFKA_API_KEY: API_KEY, KAFKA_API_SECRET: API_SECRET };

function annotations(step: StepResult, name: string): StepResult['commands'] {
  return step.commands.filter((c) => c.name === name);
}

/** No secret anywhere a step writes, except the add-mask commands that register them. */
function assertNoSecrets(step: StepResult, extra: string[] = []): void {
  const log = step.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  for (const secret of [API_KEY, API_SECRET, TOKEN, READ_TOKEN]) {
    for (const [where, text] of [['stdout', log], ['stderr', step.stderr], ['summary', step.summary], ['outputs', JSON.stringify(step.outputs)], ...extra.map((e, i) => [`extra ${i}`, e])]) {
      assert.equal(text?.includes(secret), false, `secret found in ${where}`);
    }
  }
}

describe('the action, run as a runner runs it', () => {
  let sim: GitHubSimulator;
  before(async () => {
    sim = await startGitHubSimulator({
      repository: 'acme/platform',
      issues: [7, 8, 9, 10, 11, 12, 13, 14],
      writeTokens: [TOKEN],
      readTokens: [READ_TOKEN],
      commits: { [MERGED]: [14], [DIRECT]: [] },
    });
  });
  after(() => sim.close());

  const step = (ws: string, inputs: Record<string, string>, more: Partial<StepOptions> = {}): Promise<StepResult> =>
    runStep({
      workspace: ws,
      inputs: { paths: 'kafka', 'github-token': TOKEN, ...inputs },
      event: pullRequestEvent(7),
      ...more,
      env: { GITHUB_API_URL: sim.url, ...SECRET_ENV, ...more.env },
    });

  it('plans a pull request: summary, outputs, masked secrets, one comment edited in place by the next run', async () => {
    for (let i = 0; i < 3; i++) sim.seed(7, `review comment ${i}`);
    const ws = workspace();
    const first = await step(ws, { command: 'plan', cluster: 'prod', comment: 'true' });
    assert.equal(first.code, 0, first.stderr + first.stdout);

    // Outputs agree with the saved plan.
    assert.deepEqual(Object.keys(first.outputs).sort(), ['create', 'delete', 'has-changes', 'plan-json', 'update']);
    const saved = JSON.parse(readFileSync(first.outputs['plan-json'] ?? '', 'utf8'));
    assert.equal(saved.formatVersion, 2);
    assert.deepEqual(saved.summary, { create: 1, update: 1, delete: 0, errors: 0 });
    assert.deepEqual(
      { has: first.outputs['has-changes'], c: first.outputs['create'], u: first.outputs['update'], d: first.outputs['delete'] },
      { has: 'true', c: '1', u: '1', d: '0' },
    );

    // The markdown plan is the summary.
    // The markdown rendering of the saved plan is the summary, as is.
    const markdown = renderMarkdown(saved as Plan);
    assert.equal(first.summary, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
    assert.match(first.summary, /orders\.shipped\.v1/);
    assert.match(first.summary, /orders\.created\.v1/);

    // Secrets and the token are registered as masks and appear nowhere else.
    const masks = annotations(first, 'add-mask').map((c) => c.message);
    for (const secret of [TOKEN, API_KEY, API_SECRET]) assert.ok(masks.includes(secret), `mask for ${secret.slice(0, 3)}...`);
    assert.equal(masks.includes('basic'), false, 'the auth type is not a secret');
    assertNoSecrets(first, sim.comments(7).map((c) => c.body));

    // One comment with the marker, the plan and a link to the run.
    const afterFirst = sim.comments(7).filter((c) => c.body.startsWith(MARKER));
    assert.equal(afterFirst.length, 1);
    const comment = afterFirst[0]!;
    assert.ok(comment.body.includes(markdown), 'the comment carries the same markdown plan');
    assert.match(comment.body, /kafkaform plan of commit c0ffee0 · \[workflow run\]\(https:\/\/github\.com\/acme\/platform\/actions\/runs\/4242\)/);
    assert.match(first.stdout, /Plan comment created: https:\/\/github\.com\/acme\/platform\/pull\/7#issuecomment-\d+/);

    // A push changes the manifests; the next run edits the same comment.
    writeFileSync(join(ws, 'kafka', 'topics.yaml'), TOPICS.replace('  - name: orders.shipped.v1\n', ''));
    const patchesBefore = sim.requests.filter((r) => r.method === 'PATCH').length;
    const second = await step(ws, { command: 'plan', cluster: 'prod', comment: 'true' });
    assert.equal(second.code, 0, second.stderr);
    const afterSecond = sim.comments(7).filter((c) => c.body.startsWith(MARKER));
    assert.equal(afterSecond.length, 1, 'still one plan comment');
    assert.equal(afterSecond[0]!.id, comment.id);
    assert.doesNotMatch(afterSecond[0]!.body, /orders\.shipped\.v1/);
    assert.equal(sim.requests.filter((r) => r.method === 'PATCH').length, patchesBefore + 1);
    assert.equal(second.outputs['create'], '0');
    assert.match(second.stdout, /Plan comment updated:/);
    assert.equal(sim.comments(7).length, 4, 'the reviewers\' comments are untouched');
  });

  it('keeps one comment per cluster and posts nothing without comment: true', async () => {
    const ws = workspace();
    const quiet = await step(ws, { command: 'plan', cluster: 'prod' }, { event: pullRequestEvent(8) });
    assert.equal(quiet.code, 0);
    assert.equal(sim.comments(8).length, 0);
    assert.match(quiet.summary, /kafkaform plan for prod/);
  });

  it('turns manifest problems into annotations on their lines, fails, and says so in the summary and comment', async () => {
    const bad = `apiVersion: kafkaform/v1
topics:
  - name: orders.created.v1
    partitions: 6
    config:
      retention.msx: 7d
  - name: orders.shipped.v1
    partitions: 0
`;
    const ws = workspace({ 'topics.yaml': bad });
    const result = await step(ws, { command: 'plan', cluster: 'prod', comment: 'true' }, { event: pullRequestEvent(9) });
    assert.equal(result.code, 1);
    const errors = annotations(result, 'error').filter((c) => c.properties['file'] !== undefined);
    assert.ok(errors.length >= 2, result.stdout);
    for (const e of errors) {
      assert.equal(e.properties['file'], 'kafka/topics.yaml');
      assert.equal(e.properties['title'], 'kafkaform');
    }
    const unknownKey = errors.find((e) => /retention\.msx/.test(e.message));
    assert.ok(unknownKey, 'the unknown config key is annotated');
    assert.equal(unknownKey.properties['line'], '6');
    assert.match(unknownKey.message, /retention\.ms\b/, 'with a suggestion');
    const partitions = errors.find((e) => e.properties['line'] === '8');
    assert.ok(partitions, 'partitions: 0 is annotated on line 8');
    assert.ok(Number(partitions.properties['col']) > 0);
    assert.match(result.summary, /### kafkaform plan for cluster `prod` failed/);
    assert.match(result.summary, /kafka\/topics\.yaml:6:\d+: /);
    assert.deepEqual(result.outputs, {});
    const comments = sim.comments(9);
    assert.equal(comments.length, 1, 'reviewers see the failure instead of a stale plan');
    assert.match(comments[0]!.body, /problems? in the manifests/);
  });

  it('annotates what the cluster kind cannot express, offline, before contacting the cluster', async () => {
    const clusters = `apiVersion: kafkaform/v1
clusters:
  do-prod:
    type: digitalocean
    databaseId: 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30
    token: "\${DIGITALOCEAN_TOKEN}"
    apiUrl: http://127.0.0.1:9
`;
    const acls = `apiVersion: kafkaform/v1
acls:
  - principal: User:orders-svc
    resourceType: TOPIC
    resourceName: orders.created.v1
    operations: [WRITE]
    permission: DENY
`;
    const token = 'dop_v1_0123456789abcdef0123456789abcdef';
    const result = await step(workspace({ 'clusters.yaml': clusters, 'acls.yaml': acls }), { command: 'plan', cluster: 'do-prod' }, { env: { DIGITALOCEAN_TOKEN: token } });
    assert.equal(result.code, 1);
    const [error] = annotations(result, 'error');
    assert.equal(error?.properties['file'], 'kafka/acls.yaml');
    assert.equal(error?.properties['line'], '6', 'the operations line');
    assert.match(error?.message ?? '', /^cluster do-prod: DigitalOcean cannot express DENY TOPIC WRITE/);
    assert.ok(annotations(result, 'add-mask').some((c) => c.message === token));
    assert.equal(result.summary.includes(token), false);
  });

  it('fails the step on errors in the plan, with the plan in the summary', async () => {
    const shrink = TOPICS.replace('partitions: 6', 'partitions: 1');
    const result = await step(workspace({ 'topics.yaml': shrink }), { command: 'plan', cluster: 'prod' });
    assert.equal(result.code, 1);
    assert.match(result.summary, /\[!CAUTION\]/);
    assert.match(result.summary, /partitions/);
    assert.equal(result.outputs['has-changes'] !== undefined, true);
    const error = annotations(result, 'error').at(-1);
    assert.ok(error);
    assert.equal(error.message, 'kafkaform plan failed: the plan has errors. The plan has 1 error; fix the manifests before applying.');
  });

  it('fails a plan that cannot read the cluster with the command\'s sentence, in the annotation, summary and comment', async () => {
    const ws = workspace();
    const first = await step(ws, { command: 'plan', cluster: 'prod', comment: 'true' }, { event: pullRequestEvent(12) });
    assert.equal(first.code, 0);
    rmSync(join(ws, 'kafka', 'live.json'));
    const result = await step(ws, { command: 'plan', cluster: 'prod', comment: 'true' }, { event: pullRequestEvent(12) });
    assert.equal(result.code, 1);
    const error = annotations(result, 'error').at(-1)?.message ?? '';
    assert.match(error, /^kafkaform plan failed: could not make a plan\. .*live\.json/);
    assert.match(result.summary, /^### kafkaform plan for cluster `prod` failed: could not make a plan\n\n```text\n/);
    const comments = sim.comments(12);
    assert.equal(comments.length, 1);
    assert.match(comments[0]!.body, /failed: could not make a plan/);
    assert.doesNotMatch(comments[0]!.body, /orders\.shipped\.v1/, 'the stale plan is gone');
    assert.deepEqual(result.outputs, {});
  });

  it('never colours its log, annotations, summary or comment, whatever FORCE_COLOR says', async () => {
    const ws = workspace();
    rmSync(join(ws, 'kafka', 'live.json'));
    const result = await step(ws, { command: 'plan', cluster: 'prod', comment: 'true' }, { event: pullRequestEvent(10), env: { FORCE_COLOR: '1' } });
    assert.equal(result.code, 1);
    assert.match(annotations(result, 'error').at(-1)?.message ?? '', /^kafkaform plan failed: could not make a plan\. .*live\.json/);
    for (const text of [result.stdout, result.stderr, result.summary, ...sim.comments(10).map((c) => c.body)]) {
      assert.ok(!text.includes('\u001b'), text);
    }
  });

  it('never shows a sensitive config value, in the log, summary, comment or plan file', async () => {
    const value = 'hunter2-sensitive-config-value';
    const live = structuredClone(LIVE);
    live.topics[0]!.configs['sasl.custom.secret'] = {
      value,
      setOnTopic: true,
      source: 'DYNAMIC_TOPIC_CONFIG',
      readOnly: false,
      sensitive: true,
    };
    const ws = workspace({ 'live.json': JSON.stringify(live) });
    const result = await step(ws, { command: 'plan', cluster: 'prod', comment: 'true' }, { event: pullRequestEvent(13) });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.summary, /sasl\.custom\.secret/, 'the key is shown');
    const planFile = readFileSync(result.outputs['plan-json'] ?? '', 'utf8');
    for (const text of [result.stdout, result.stderr, result.summary, planFile, ...sim.comments(13).map((c) => c.body)]) {
      assert.equal(text.includes(value), false);
    }
  });

  it('plans topic deletions in scope only with allow-delete', async () => {
    const live = structuredClone(LIVE);
    live.topics.push({ name: 'orders.legacy', partitions: 1, replicationFactor: 3, internal: false, configs: {} });
    const ws = workspace({ 'live.json': JSON.stringify(live) });
    const held = await step(ws, { command: 'plan', cluster: 'prod' }, { eventName: 'push', event: {} });
    assert.equal(held.code, 0);
    assert.equal(held.outputs['delete'], '0');
    assert.equal(JSON.parse(readFileSync(held.outputs['plan-json'] ?? '', 'utf8')).heldBack.length, 1);
    const allowed = await step(ws, { command: 'plan', cluster: 'prod', 'allow-delete': 'true' }, { eventName: 'push', event: {} });
    assert.equal(allowed.code, 0);
    assert.equal(allowed.outputs['delete'], '1');
  });

  it('applies on push: auto-approved, summary of what was done, then nothing left to do', async () => {
    const ws = workspace();
    const push = { eventName: 'push', event: { ref: 'refs/heads/main' } };
    const applied = await step(ws, { command: 'apply', cluster: 'prod' }, push);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(applied.summary, /^### kafkaform apply for cluster `prod`: applied\n\n1 created, 1 updated, 0 deleted\.\n/);
    assert.match(applied.summary, /<details><summary>Apply log<\/summary>/);
    assert.match(applied.summary, /Apply complete: 1 created, 1 updated, 0 deleted\./);
    assert.equal(applied.outputs['has-changes'], 'true');
    const live = JSON.parse(readFileSync(join(ws, 'kafka', 'live.json'), 'utf8'));
    assert.deepEqual(
      live.topics.map((t: { name: string; partitions: number }) => [t.name, t.partitions]),
      [['orders.created.v1', 6], ['orders.shipped.v1', 3]],
    );
    assertNoSecrets(applied);

    const again = await step(ws, { command: 'apply', cluster: 'prod' }, push);
    assert.equal(again.code, 0);
    assert.match(again.summary, /no changes/);
    assert.equal(again.outputs['has-changes'], 'false');
  });

  it('fails apply on any error and changes nothing', async () => {
    const ws = workspace({ 'topics.yaml': TOPICS.replace('partitions: 6', 'partitions: 1') });
    const before = readFileSync(join(ws, 'kafka', 'live.json'), 'utf8');
    const result = await step(ws, { command: 'apply', cluster: 'prod' }, { eventName: 'push', event: {} });
    assert.equal(result.code, 1);
    assert.equal(readFileSync(join(ws, 'kafka', 'live.json'), 'utf8'), before);
    assert.equal(annotations(result, 'error').at(-1)?.message, 'kafkaform apply failed: the plan has errors; nothing was applied. The plan has 1 error; fix the manifests before applying.');
  });

  it('reports drift on a schedule: fails the step by default, only sets outputs with fail-on-drift: false, exports a snapshot', async () => {
    const ws = workspace();
    const schedule = { eventName: 'schedule', event: { schedule: '17 3 * * *' } };
    const failing = await step(ws, { command: 'drift', cluster: 'prod', 'export-snapshot': 'out/prod.snapshot.json' }, schedule);
    assert.equal(failing.code, 1);
    assert.match(failing.summary, /^### Drift detected on cluster `prod`/);
    const drifted = JSON.parse(readFileSync(failing.outputs['plan-json'] ?? '', 'utf8')) as Plan;
    assert.deepEqual(drifted.actions.map((a) => [a.action, a.resource.kind === 'topic' ? a.resource.name : '']), [
      ['create', 'orders.shipped.v1'],
      ['update', 'orders.created.v1'],
      ['update', 'orders.created.v1'],
    ]);
    assert.ok(failing.summary.includes(renderMarkdown(drifted)), 'the drift report is the plan from the cluster to the manifests');
    assert.match(annotations(failing, 'error').at(-1)?.message ?? '', /^Cluster prod has drifted from the manifests: 1 to create, 1 to update, 0 to delete/);
    assert.equal(failing.outputs['has-changes'], 'true');
    const snapshot = failing.outputs['snapshot'] ?? '';
    assert.equal(snapshot, join(ws, 'out', 'prod.snapshot.json'));
    const exported = JSON.parse(readFileSync(snapshot, 'utf8'));
    assert.equal(exported.formatVersion, 1);
    assert.deepEqual(exported.topics.map((t: { name: string }) => t.name), ['orders.created.v1']);

    const lenient = await step(ws, { command: 'drift', cluster: 'prod', 'fail-on-drift': 'false' }, schedule);
    assert.equal(lenient.code, 0);
    assert.equal(lenient.outputs['has-changes'], 'true');
    assert.equal(annotations(lenient, 'error').length, 0);

    const clean = workspace({ 'topics.yaml': TOPICS.replace('partitions: 6', 'partitions: 3').replace('retention.ms: 7d', 'retention.ms: 1d').replace('  - name: orders.shipped.v1\n', '') });
    const none = await step(clean, { command: 'drift', cluster: 'prod' }, schedule);
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.summary, /^### No drift on cluster `prod`/);
    assert.equal(none.outputs['has-changes'], 'false');
  });

  it('drift agrees with plan on a held-back deletion: listed and counted, not drift unless allow-delete', async () => {
    const live = structuredClone(LIVE);
    live.topics.push({ name: 'orders.legacy', partitions: 1, replicationFactor: 3, internal: false, configs: {} });
    const manifests = TOPICS.replace('partitions: 6', 'partitions: 3').replace('retention.ms: 7d', 'retention.ms: 1d').replace('  - name: orders.shipped.v1\n', '');
    const ws = workspace({ 'live.json': JSON.stringify(live), 'topics.yaml': manifests });
    const schedule = { eventName: 'schedule', event: { schedule: '17 3 * * *' } };
    const held = await step(ws, { command: 'drift', cluster: 'prod' }, schedule);
    assert.equal(held.code, 0, held.stdout + held.stderr);
    assert.equal(held.outputs['has-changes'], 'false');
    assert.equal(annotations(held, 'error').length, 0);
    assert.match(held.summary, /^### No drift on cluster `prod`\n\nThe cluster matches the manifests; 1 change is held back, which is not drift without `allow-delete: true`\.\n/);
    assert.match(held.summary, /orders\.legacy/);
    const planned = await step(ws, { command: 'plan', cluster: 'prod' }, { eventName: 'push', event: {} });
    assert.equal(planned.code, 0);
    assert.equal(planned.outputs['has-changes'], held.outputs['has-changes']);

    const allowed = await step(ws, { command: 'drift', cluster: 'prod', 'allow-delete': 'true' }, schedule);
    assert.equal(allowed.code, 1);
    assert.equal(allowed.outputs['has-changes'], 'true');
    assert.equal(allowed.outputs['delete'], '1');
    assert.match(annotations(allowed, 'error').at(-1)?.message ?? '', /^Cluster prod has drifted from the manifests: 0 to create, 0 to update, 1 to delete/);
    const plannedAllowed = await step(ws, { command: 'plan', cluster: 'prod', 'allow-delete': 'true' }, { eventName: 'push', event: {} });
    assert.equal(plannedAllowed.outputs['has-changes'], allowed.outputs['has-changes']);
  });

  it('does not try to comment on a fork\'s pull request, and says why', async () => {
    const before = sim.requests.length;
    const result = await step(workspace(), { command: 'plan', cluster: 'prod', comment: 'true' }, { event: pullRequestEvent(10, true) });
    assert.equal(result.code, 0);
    assert.equal(sim.requests.length, before);
    assert.match(annotations(result, 'notice')[0]?.message ?? '', /fork/);
    assert.match(result.summary, /kafkaform plan for prod/);
  });

  it('fails when the comment cannot be posted, naming the missing permission, without leaking the token', async () => {
    const result = await step(workspace(), { command: 'plan', cluster: 'prod', comment: 'true', 'github-token': READ_TOKEN }, { event: pullRequestEvent(11) });
    assert.equal(result.code, 1);
    const error = annotations(result, 'error').at(-1)?.message ?? '';
    assert.match(error, /failed with 403: Resource not accessible by integration\. .*pull-requests: write/);
    assert.ok(annotations(result, 'add-mask').some((c) => c.message === READ_TOKEN));
    assertNoSecrets(result);
  });

  it('rejects a wrong input with one sentence', async () => {
    const result = await step(workspace(), { command: 'destroy' });
    assert.equal(result.code, 1);
    assert.deepEqual(annotations(result, 'error').map((c) => c.message), ['Input "command" must be one of validate, plan, apply, drift, export, not "destroy".']);
  });

  it('validates every cluster offline with no credentials; problems of any cluster become annotations on their lines', async () => {
    const clusters = `${CLUSTERS}  do-prod:
    type: digitalocean
    databaseId: 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30
    token: "\${DIGITALOCEAN_TOKEN}"
`;
    const ws = workspace({ 'clusters.yaml': clusters });
    // No KAFKA_API_* or DIGITALOCEAN_TOKEN in the environment, no GitHub token.
    const offline = { workspace: ws, inputs: { command: 'validate', paths: 'kafka' }, eventName: 'pull_request', event: pullRequestEvent(7, true) };
    const valid = await runStep(offline);
    assert.equal(valid.code, 0, valid.stdout + valid.stderr);
    assert.match(valid.summary, /^### kafkaform validate: the manifests are valid\n/);
    assert.match(valid.summary, /cluster cloud \(confluent\): 2 topics, 0 ACL bindings\n {2}cluster do-prod \(digitalocean\): 2 topics, 0 ACL bindings\n {2}cluster prod \(snapshot\): 2 topics, 0 ACL bindings/);
    assert.deepEqual(annotations(valid, 'error'), []);

    // A binding only DigitalOcean cannot express: found although no cluster was named.
    const acls = 'apiVersion: kafkaform/v1\nacls:\n  - principal: User:orders-svc\n    resourceType: TOPIC\n    resourceName: orders.created.v1\n    operations: [WRITE]\n    permission: DENY\n';
    writeFileSync(join(ws, 'kafka', 'acls.yaml'), acls);
    writeFileSync(join(ws, 'kafka', 'topics.yaml'), TOPICS.replace('partitions: 6', 'partitions: 0'));
    const invalid = await runStep(offline);
    assert.equal(invalid.code, 1);
    const errors = annotations(invalid, 'error').filter((c) => c.properties['file'] !== undefined);
    assert.deepEqual(
      errors.map((e) => [e.properties['file'], e.properties['line']]),
      [['kafka/topics.yaml', '9']],
      'the load error stops validation before cluster rules',
    );
    writeFileSync(join(ws, 'kafka', 'topics.yaml'), TOPICS);
    const unexpressible = await runStep(offline);
    assert.equal(unexpressible.code, 1);
    const [error] = annotations(unexpressible, 'error');
    assert.deepEqual([error?.properties['file'], error?.properties['line']], ['kafka/acls.yaml', '6']);
    assert.match(error?.message ?? '', /^cluster do-prod: DigitalOcean cannot express DENY TOPIC WRITE/);
    assert.match(unexpressible.summary, /### kafkaform validate failed/);
  });

  it('exports the live state to export-path as a snapshot or a manifest, naming it in an output', async () => {
    const ws = workspace();
    const push = { eventName: 'push', event: {} };
    const snapshot = await step(ws, { command: 'export', cluster: 'prod', 'export-path': 'out/prod.snapshot.json' }, push);
    assert.equal(snapshot.code, 0, snapshot.stdout + snapshot.stderr);
    assert.deepEqual(snapshot.outputs, { snapshot: join(ws, 'out', 'prod.snapshot.json') });
    assert.deepEqual(JSON.parse(readFileSync(join(ws, 'out', 'prod.snapshot.json'), 'utf8')).topics.map((t: { name: string }) => t.name), ['orders.created.v1']);
    assert.match(snapshot.summary, /The cluster's snapshot is in `out\/prod\.snapshot\.json`\./);

    const manifest = await step(ws, { command: 'export', cluster: 'prod', 'export-format': 'manifest', 'export-path': 'out/prod.yaml' }, push);
    assert.equal(manifest.code, 0, manifest.stdout + manifest.stderr);
    assert.deepEqual(manifest.outputs, { manifest: join(ws, 'out', 'prod.yaml') });
    assert.match(readFileSync(join(ws, 'out', 'prod.yaml'), 'utf8'), /name: orders\.created\.v1/);

    const missing = await step(ws, { command: 'export', cluster: 'prod' }, push);
    assert.equal(missing.code, 1);
    assert.deepEqual(annotations(missing, 'error').map((c) => c.message), ['Input "export-path" is required with command: export.']);
  });

  it('plans with max-acl-deletes as the saved plan records it', async () => {
    const result = await step(workspace(), { command: 'plan', cluster: 'prod', 'max-acl-deletes': '0' }, { eventName: 'push', event: {} });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(JSON.parse(readFileSync(result.outputs['plan-json'] ?? '', 'utf8')).options.maxAclDeletes, 0);
  });

  it('applies only what the target input selects', async () => {
    const ws = workspace();
    const result = await step(ws, { command: 'apply', cluster: 'prod', target: 'topic:orders.shipped.v1' }, { eventName: 'push', event: {} });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const after = JSON.parse(readFileSync(join(ws, 'kafka', 'live.json'), 'utf8')) as typeof LIVE;
    assert.deepEqual(after.topics.map((t) => t.name), ['orders.created.v1', 'orders.shipped.v1']);
    // orders.created.v1 differs from its manifest too, but was not selected: untouched.
    const created = after.topics.find((t) => t.name === 'orders.created.v1')!;
    assert.equal(created.partitions, 3);
    assert.deepEqual(created.configs['retention.ms'], LIVE.topics[0]!.configs['retention.ms']);
  });

  it('runs only the kafkaform version the workflow pins', async () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const push = { eventName: 'push', event: {} };
    const pinned = await step(workspace(), { command: 'plan', cluster: 'prod', version: `v${version}` }, push);
    assert.equal(pinned.code, 0, pinned.stdout + pinned.stderr);
    const other = await step(workspace(), { command: 'plan', cluster: 'prod', version: '99.0.0' }, push);
    assert.equal(other.code, 1);
    assert.deepEqual(annotations(other, 'error').map((c) => c.message), [
      `This action runs kafkaform ${version}, but the workflow pins version 99.0.0: use the action's release of kafkaform 99.0.0 (uses: …/kafkaform@v99.0.0) or change the version input.`,
    ]);
    assert.equal(other.outputs['plan-json'], undefined, 'nothing ran');
  });

  it('comments the apply result on the pull request a pushed commit came from, or says there is none', async () => {
    const ws = workspace();
    const push = (sha: string) => ({ eventName: 'push', event: { ref: 'refs/heads/main' }, env: { GITHUB_SHA: sha } });
    const applied = await step(ws, { command: 'apply', cluster: 'prod', comment: 'true' }, push(MERGED));
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    const [comment, ...more] = sim.comments(14);
    assert.deepEqual(more, []);
    assert.ok(comment!.body.startsWith('<!-- kafkaform:apply cluster=prod -->\n### kafkaform apply for cluster `prod`: applied\n\n1 created, 1 updated, 0 deleted.\n'));
    assert.match(comment!.body, /\*\*3 done, 0 failed, 0 not attempted\.\*\*\n\n<details><summary>Done \(3\)<\/summary>/);
    assert.match(comment!.body, /<sub>kafkaform apply of commit 5ca1ab1 · \[workflow run\]/);
    assert.match(applied.summary, /\*\*3 done, 0 failed, 0 not attempted\.\*\*/);

    const direct = await step(workspace(), { command: 'apply', cluster: 'prod', comment: 'true' }, push(DIRECT));
    assert.equal(direct.code, 0);
    assert.deepEqual(annotations(direct, 'notice').map((c) => c.message), ['Commit d1ec700 belongs to no pull request; the apply result is in the job summary only.']);
  });

  it('cuts a plan longer than a comment allows, keeping the whole plan in the summary', async () => {
    const many = Array.from({ length: 700 }, (_, i) => `  - name: orders.generated-topic-with-a-rather-long-name-${String(i).padStart(4, '0')}.v1\n    config: { retention.ms: 3d, cleanup.policy: delete }\n`).join('');
    const ws = workspace({ 'topics.yaml': `${TOPICS}${many}` });
    const result = await step(ws, { command: 'plan', cluster: 'prod', comment: 'true' }, { event: pullRequestEvent(8) });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const [comment] = sim.comments(8).filter((c) => c.body.startsWith(MARKER));
    assert.ok(comment);
    assert.ok([...comment.body].length <= 65_536);
    assert.match(comment.body, /this plan is too long for a pull-request comment and was cut/);
    assert.match(comment.body, /workflow run/);
    assert.ok(result.summary.length > 65_536);
    assert.match(result.summary, /generated-topic-with-a-rather-long-name-0699/);
    assert.equal(result.outputs['create'], '701');
  });
});

describe('the action against a Confluent REST v3 cluster (loopback simulator)', () => {
  let v3: V3Simulator;
  before(async () => {
    v3 = await V3Simulator.start({ clusterId: 'lkc-abc123', auth: { type: 'basic', username: API_KEY, password: API_SECRET } });
    v3.addTopic({ name: 'orders.created.v1', partitions: 3, configs: { 'retention.ms': '86400000' } });
  });
  after(() => v3.close());

  const clusters = (): string => CLUSTERS.replace('https://pkc-123.eu-west-1.aws.confluent.cloud/kafka/v3', v3.cloudUrl);

  it('applies with credentials from the environment, masked, and never written anywhere', async () => {
    const ws = workspace({ 'clusters.yaml': clusters() });
    const result = await runStep({
      workspace: ws,
      inputs: { command: 'apply', paths: 'kafka', cluster: 'cloud' },
      eventName: 'push',
      env: SECRET_ENV,
    });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual([...v3.topics.keys()].sort(), ['orders.created.v1', 'orders.shipped.v1']);
    assert.equal(v3.topics.get('orders.created.v1')?.partitions, 6);
    assert.match(result.summary, /: applied\n\n1 created, 1 updated, 0 deleted\./);
    // Progress goes to the log as plain lines, as off any terminal.
    assert.match(result.stderr, /^reading cluster cloud: \d+ requests, [\d.]+ K?i?B, done in [\d.]+ s$/m);
    assert.match(result.stderr, /^dry-running 2\/2 topics, done in [\d.]+ s$/m);
    assert.match(result.stderr, /^applying 3\/3 topic changes, done in [\d.]+ s$/m);
    assert.ok(!result.stderr.includes('\u001b'), 'no terminal control sequence in the log');
    const masks = annotations(result, 'add-mask').map((c) => c.message);
    assert.ok(masks.includes(API_KEY) && masks.includes(API_SECRET));
    assertNoSecrets(result, [readFileSync(result.outputs['plan-json'] ?? '', 'utf8')]);
  });

  it('fails on rejected credentials with one sentence and no secret', async () => {
    const ws = workspace({ 'clusters.yaml': clusters() });
    const wrong = 'wr0ng-S3cret-Value';
    const result = await runStep({
      workspace: ws,
      inputs: { command: 'drift', paths: 'kafka', cluster: 'cloud' },
      eventName: 'schedule',
      env: { KAFKA_API_KEY: API_KEY, KAFKA_API_SECRET: wrong },
    });
    assert.equal(result.code, 1);
    const error = annotations(result, 'error').at(-1)?.message ?? '';
    assert.match(error, /^kafkaform drift failed: could not check for drift\. .*authentication/i);
    for (const text of [result.stdout.replace(/^::add-mask::.*$/gm, ''), result.stderr, result.summary]) {
      assert.equal(text.includes(wrong), false);
      assert.equal(text.includes(API_KEY), false);
    }
  });
});

describe('apply stopping part-way on a v3 cluster', () => {
  it('fails the step with what was done, what failed and what was not attempted; the next run converges', async () => {
    const v3 = await V3Simulator.start({ clusterId: 'lkc-abc123', auth: { type: 'basic', username: API_KEY, password: API_SECRET } });
    const github = await startGitHubSimulator({ repository: 'acme/platform', issues: [12], writeTokens: [TOKEN], commits: { [MERGED]: [12] } });
    try {
      v3.addTopic({ name: 'orders.created.v1', partitions: 3, configs: { 'retention.ms': '86400000' } });
      v3.inject({ fault: 'forbidden', method: 'PATCH', path: '/clusters/lkc-abc123/topics/orders.created.v1', times: Infinity });
      const ws = workspace({ 'clusters.yaml': CLUSTERS.replace('https://pkc-123.eu-west-1.aws.confluent.cloud/kafka/v3', v3.cloudUrl) });
      const push = {
        workspace: ws,
        inputs: { command: 'apply', paths: 'kafka', cluster: 'cloud', concurrency: '1', comment: 'true', 'github-token': TOKEN },
        eventName: 'push',
        env: { ...SECRET_ENV, GITHUB_API_URL: github.url, GITHUB_SHA: MERGED },
      };
      const failed = await runStep(push);
      assert.equal(failed.code, 1);
      assert.match(annotations(failed, 'error').at(-1)?.message ?? '', /^kafkaform apply failed: apply failed\. /);
      assert.match(failed.summary, /^### kafkaform apply for cluster `cloud` failed\n\nApply stopped part-way; running it again continues from there\.\n\n\*\*1 done, 1 failed, 1 not attempted\.\*\*\n/);
      assert.match(failed.summary, /Failed:\n\n```text\n.*orders\.created\.v1.*403.*\n```\n/);
      const [comment] = github.comments(12);
      assert.match(comment?.body ?? '', /^<!-- kafkaform:apply cluster=cloud -->\n### kafkaform apply for cluster `cloud` failed\n/);
      assert.match(comment?.body ?? '', /\*\*1 done, 1 failed, 1 not attempted\.\*\*/);
      assert.match(comment?.body ?? '', /Not attempted \(running apply again continues from here\):\n\n```text\n.+\n```/);
      assertNoSecrets(failed, [comment?.body ?? '']);
      assert.match(failed.summary, /Done \(1\):\n {2}create topic orders\.shipped\.v1/);
      assert.match(failed.summary, /Failed \(1\):\n {2}.*orders\.created\.v1.*403/);
      assert.match(failed.summary, /Not attempted \(1\):/);
      assert.equal(v3.topics.get('orders.created.v1')?.configs.get('retention.ms'), '86400000', 'phase 3 did not run');
      assertNoSecrets(failed);

      v3.clearFaults();
      const rerun = await runStep(push);
      assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
      assert.match(rerun.summary, /: applied\n\n0 created, 1 updated, 0 deleted\./);
      assert.equal(v3.topics.get('orders.created.v1')?.partitions, 6);
      const comments = github.comments(12);
      assert.equal(comments.length, 1, 'the result comment is edited in place');
      assert.match(comments[0]?.body ?? '', /^<!-- kafkaform:apply cluster=cloud -->\n### kafkaform apply for cluster `cloud`: applied\n/);
    } finally {
      await v3.close();
      await github.close();
    }
  });
});

describe('the committed bundle', () => {
  it('runs as action.yml says, with no install step', async () => {
    const action = readFileSync(join(import.meta.dirname, '..', '..', 'action.yml'), 'utf8');
    assert.match(action, /\n {2}using: node24\n {2}main: action\/index\.mjs\n/);
    const ws = workspace();
    const result = await runStep({ workspace: ws, inputs: { command: 'plan', paths: 'kafka', cluster: 'prod' }, eventName: 'push', committed: true });
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.summary, /### kafkaform plan for prod \(snapshot\)/);
    assert.equal(existsSync(result.outputs['plan-json'] ?? ''), true);

    // Apply reads the saved plan back (checked against schemas/plan.schema.json, found from the bundle).
    const applied = await runStep({ workspace: ws, inputs: { command: 'apply', paths: 'kafka', cluster: 'prod' }, eventName: 'push', committed: true });
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(applied.summary, /: applied\n/);
    const drift = await runStep({
      workspace: ws,
      inputs: { command: 'drift', paths: 'kafka', cluster: 'prod', 'export-snapshot': 'snap.json' },
      eventName: 'schedule',
      committed: true,
    });
    assert.equal(drift.code, 0, drift.stderr + drift.stdout);
    assert.match(drift.summary, /^### No drift on cluster `prod`/);
    assert.equal(JSON.parse(readFileSync(join(ws, 'snap.json'), 'utf8')).formatVersion, 1);
  });
});
