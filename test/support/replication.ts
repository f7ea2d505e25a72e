// Replication on the real three-broker cluster (`trio`, test/broker/brokers.mjs): the throttle
// rates its brokers have, and a topic whose replication is held back so that a reassignment
// adding replicas to it stays running while a test acts.
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { ConfigResourceTypes, ConfigSources, IncrementalAlterConfigOperationTypes, Producer, type Admin } from '@platformatic/kafka';
import { requireBrokers } from './broker.js';

const RATES = ['leader.replication.throttled.rate', 'follower.replication.throttled.rate'];
const LISTS = ['leader.replication.throttled.replicas', 'follower.replication.throttled.replicas'];

/** The replication throttle rates set dynamically on each trio broker, as `id name=value`. */
export async function dynamicRates(admin: Admin): Promise<string[]> {
  const brokers = await admin.describeConfigs({
    resources: [1, 2, 3].map((id) => ({ resourceType: ConfigResourceTypes.BROKER, resourceName: String(id), configurationKeys: RATES })),
  });
  return brokers
    .flatMap((b) => b.configs.filter((c) => c.configSource === ConfigSources.DYNAMIC_BROKER_CONFIG).map((c) => `${b.resourceName} ${c.name}=${c.value}`))
    .sort();
}

/**
 * Reads until `read` returns `expected` (up to ~10 s), then asserts on the last read: brokers
 * apply metadata changes a moment after the controller accepts them.
 */
export async function eventually<T>(read: () => Promise<T>, expected: T): Promise<void> {
  let got = await read();
  for (let i = 0; i < 50 && !isDeepStrictEqual(got, expected); i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    got = await read();
  }
  assert.deepEqual(got, expected);
}

/**
 * Fills partition 0 of `topic` with several MiB and throttles its replication to 1 byte per
 * second on every broker (the topic's throttled-replica lists set to `*`): after the first fetch,
 * a reassignment adding replicas to it cannot finish while a test looks. Topics without the lists
 * replicate freely. Returns the function that lifts the throttle.
 */
export async function stallReplication(admin: Admin, topic: string): Promise<() => Promise<void>> {
  const producer = new Producer({ clientId: 'kafkaform-rf-test', bootstrapBrokers: requireBrokers().trio.bootstrap });
  try {
    for (let i = 0; i < 6; i++) await producer.send({ messages: [{ topic, partition: 0, value: Buffer.alloc(900_000, i) }] });
  } finally {
    await producer.close();
  }
  const throttle = async (on: boolean): Promise<void> => {
    const op = (name: string, value: string) =>
      on ? { name, configOperation: IncrementalAlterConfigOperationTypes.SET, value } : { name, configOperation: IncrementalAlterConfigOperationTypes.DELETE };
    await admin.incrementalAlterConfigs({
      resources: [
        ...[1, 2, 3].map((id) => ({ resourceType: ConfigResourceTypes.BROKER, resourceName: String(id), configs: RATES.map((n) => op(n, '1')) })),
        { resourceType: ConfigResourceTypes.TOPIC, resourceName: topic, configs: LISTS.map((n) => op(n, '*')) },
      ],
    });
  };
  await throttle(true);
  await eventually(() => dynamicRates(admin), [1, 2, 3].flatMap((id) => [`${id} follower.replication.throttled.rate=1`, `${id} leader.replication.throttled.rate=1`]));
  return async () => {
    await throttle(false);
    await eventually(() => dynamicRates(admin), []);
  };
}
