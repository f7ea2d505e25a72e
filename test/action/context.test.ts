import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readContext, readInputs } from '../../src/action/context.js';
import { ConfigError, UsageError } from '../../src/errors.js';

describe('readInputs', () => {
  it('applies action.yml defaults when inputs are empty', () => {
    const inputs = readInputs({ GITHUB_WORKSPACE: '/ws' });
    assert.deepEqual(inputs, {
      command: 'plan',
      paths: ['.'],
      cluster: '',
      allowDelete: false,
      comment: false,
      githubToken: '',
      failOnDrift: true,
      exportSnapshot: '',
      workingDirectory: '/ws',
      maxAclDeletes: undefined,
      concurrency: undefined,
      targets: [],
      version: '',
      exportFormat: 'snapshot',
      exportPath: '',
    });
  });

  it('reads the planning, apply, export and version inputs', () => {
    const inputs = readInputs({
      'INPUT_MAX-ACL-DELETES': '0',
      INPUT_CONCURRENCY: '4',
      INPUT_TARGET: 'topic:orders.*\n  acl:User:billing \n\n',
      INPUT_VERSION: 'v0.1.0',
      INPUT_COMMAND: 'export',
      'INPUT_EXPORT-FORMAT': 'manifest',
      'INPUT_EXPORT-PATH': 'out/prod.yaml',
    });
    assert.equal(inputs.maxAclDeletes, 0);
    assert.equal(inputs.concurrency, 4);
    assert.deepEqual(inputs.targets, ['topic:orders.*', 'acl:User:billing']);
    assert.equal(inputs.version, '0.1.0');
    assert.equal(inputs.exportFormat, 'manifest');
    assert.equal(inputs.exportPath, 'out/prod.yaml');
  });

  it('splits paths on lines and commas and resolves the working directory in the workspace', () => {
    const inputs = readInputs({
      GITHUB_WORKSPACE: '/ws',
      INPUT_PATHS: 'kafka/topics\n kafka/acls.yaml ,kafka/clusters.yaml\n\n',
      'INPUT_WORKING-DIRECTORY': 'infra',
      'INPUT_ALLOW-DELETE': 'true',
      'INPUT_FAIL-ON-DRIFT': 'false',
    });
    assert.deepEqual(inputs.paths, ['kafka/topics', 'kafka/acls.yaml', 'kafka/clusters.yaml']);
    assert.equal(inputs.workingDirectory, '/ws/infra');
    assert.equal(inputs.allowDelete, true);
    assert.equal(inputs.failOnDrift, false);
  });

  it('rejects unknown commands and non-boolean flags', () => {
    assert.throws(() => readInputs({ INPUT_COMMAND: 'destroy' }), UsageError);
    assert.throws(() => readInputs({ INPUT_COMMAND: 'export' }), /^UsageError: Input "export-path" is required with command: export\.$/);
    assert.throws(() => readInputs({ 'INPUT_EXPORT-FORMAT': 'yaml' }), /Input "export-format" must be one of manifest, snapshot, not "yaml"\./);
    assert.throws(() => readInputs({ INPUT_CONCURRENCY: '0' }), /Input "concurrency" must be a whole number of at least 1, not "0"\./);
    assert.throws(() => readInputs({ 'INPUT_MAX-ACL-DELETES': '-1' }), /Input "max-acl-deletes" must be a whole number of at least 0, not "-1"\./);
    assert.throws(() => readInputs({ 'INPUT_MAX-ACL-DELETES': '2.5' }), UsageError);
    assert.throws(() => readInputs({ INPUT_COMMENT: 'on' }), /Input "comment" must be true or false, not "on"\./);
  });
});

describe('readContext', () => {
  const event = (payload: unknown): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'kafkaform-event-')), 'event.json');
    writeFileSync(file, JSON.stringify(payload));
    return file;
  };
  const pr = (head: unknown) => ({ pull_request: { number: 5, head: { sha: 'abc', repo: head }, base: { repo: { full_name: 'acme/platform' } } } });

  it('reads the pull request and tells a fork (or a deleted fork) from a branch', () => {
    const base = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_API_URL: 'https://ghe.example.com/api/v3/' };
    const branch = readContext({ ...base, GITHUB_EVENT_PATH: event(pr({ full_name: 'acme/platform' })) });
    assert.deepEqual(branch.pullRequest, { number: 5, headSha: 'abc', fromFork: false });
    assert.equal(branch.apiUrl, 'https://ghe.example.com/api/v3');
    assert.equal(readContext({ ...base, GITHUB_EVENT_PATH: event(pr({ full_name: 'someone/platform' })) }).pullRequest?.fromFork, true);
    assert.equal(readContext({ ...base, GITHUB_EVENT_PATH: event(pr(null)) }).pullRequest?.fromFork, true);
  });

  it('ignores the payload of other events and defaults the API to api.github.com', () => {
    const ctx = readContext({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event({ ref: 'refs/heads/main' }) });
    assert.equal(ctx.pullRequest, undefined);
    assert.equal(ctx.apiUrl, 'https://api.github.com');
  });

  it('says what is wrong with a broken payload', () => {
    assert.throws(() => readContext({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event({}) }), ConfigError);
    assert.throws(() => readContext({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: '/nonexistent/event.json' }), /Could not read the event payload/);
  });
});
