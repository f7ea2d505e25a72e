// The action against a real Apache Kafka broker (started by test/run.mjs): the bundle carries the
// Kafka client, which must find what it needs inside the one committed file, with no install.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerSkip, requireBrokers } from '../support/broker.js';
import { runStep } from './step.js';

describe('the action with a kafka cluster', { skip: brokerSkip() }, () => {
  it('applies to a real broker from the committed bundle, then plans no change', async () => {
    const brokers = requireBrokers();
    const prefix = `a${randomBytes(4).toString('hex')}.`;
    const ws = mkdtempSync(join(tmpdir(), 'kafkaform-ws-'));
    mkdirSync(join(ws, 'kafka'));
    writeFileSync(
      join(ws, 'kafka', 'clusters.yaml'),
      'apiVersion: kafkaform/v1\nclusters:\n  dev:\n    type: kafka\n    bootstrapServers: ["${KAFKA_BOOTSTRAP}"]\n    sasl: { mechanism: PLAIN, username: admin, password: "${KAFKA_PASSWORD}" }\n',
    );
    writeFileSync(
      join(ws, 'kafka', 'topics.yaml'),
      `apiVersion: kafkaform/v1\nscope:\n  topics: ["${prefix}"]\ntopics:\n  - { name: ${prefix}orders, partitions: 2, replicationFactor: 1, config: { retention.ms: 1d } }\n`,
    );
    const run = (command: string) =>
      runStep({
        workspace: ws,
        inputs: { paths: 'kafka', command, cluster: 'dev' },
        eventName: 'push',
        event: { ref: 'refs/heads/main' },
        env: { KAFKA_BOOTSTRAP: brokers.single.sasl, KAFKA_PASSWORD: brokers.single.users.admin },
        committed: true,
      });

    const applied = await run('apply');
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(applied.summary, /1 created, 0 updated, 0 deleted\./);
    const planned = await run('plan');
    assert.equal(planned.code, 0, planned.stderr + planned.stdout);
    assert.equal(planned.outputs['has-changes'], 'false');
  });
});
