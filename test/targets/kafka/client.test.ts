// The kafka client's waits end with the command's signal (deadline or interrupt), whatever the
// broker does; here a server that accepts connections and never answers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { configRequests, DESCRIBE_CONFIGS_TOPICS, KafkaClient, READ_CONNECTIONS } from '../../../src/targets/kafka/client.js';
import { parseKafkaSettings } from '../../../src/targets/kafka/settings.js';

describe('kafka client and the command signal', () => {
  it('a request to a broker that never answers ends with the signal\'s reason', async () => {
    const controller = new AbortController();
    const reason = new Error('the deadline passed');
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      // Connected: whatever the client waits for now never comes, until the signal ends it.
      controller.abort(reason);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const client = new KafkaClient(parseKafkaSettings({ bootstrapServers: [`127.0.0.1:${port}`] }, 'silent', '/'), 'silent', { signal: controller.signal });
    try {
      await assert.rejects(client.metadata(null), (e: unknown) => e === reason);
    } finally {
      await client.close();
      for (const s of sockets) s.destroy();
      await new Promise((done) => server.close(done));
    }
  });

  it('an aborted signal stops before connecting', async () => {
    const controller = new AbortController();
    const reason = new Error('interrupted');
    controller.abort(reason);
    const client = new KafkaClient(parseKafkaSettings({ bootstrapServers: ['127.0.0.1:9'] }, 'c', '/'), 'c', { signal: controller.signal });
    await assert.rejects(client.metadata(null), (e: unknown) => e === reason);
    await client.close();
  });
});

describe('DescribeConfigs requests', () => {
  const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `t${i}`);
  const sizes = (n: number): number[] => configRequests(names(n)).map((c) => c.length);

  it('split a few ways for many topics, one per read connection, in order and without loss', () => {
    assert.deepEqual(sizes(0), []);
    assert.deepEqual(sizes(1), [1]);
    assert.deepEqual(sizes(999), [999]);
    assert.deepEqual(sizes(1_000), [500, 500]);
    assert.deepEqual(sizes(2_000), [667, 667, 666]);
    assert.deepEqual(sizes(10_000), [3_334, 3_334, 3_332]);
    assert.equal(sizes(10_000).length, READ_CONNECTIONS);
    assert.deepEqual(configRequests(names(2_000)).flat(), names(2_000));
  });

  it(`never put more than ${DESCRIBE_CONFIGS_TOPICS} topics in one request`, () => {
    assert.deepEqual(sizes(20_001), [4_001, 4_001, 4_001, 4_001, 3_997]);
    assert.ok(sizes(60_000).every((s) => s <= DESCRIBE_CONFIGS_TOPICS));
  });
});
