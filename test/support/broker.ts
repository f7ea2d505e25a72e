// The real Kafka brokers test/run.mjs starts for the tests (test/broker/brokers.mjs): their
// addresses and users, read from the state file named by KAFKAFORM_TEST_BROKERS.
//
//   describe('kafka target', { skip: brokerSkip() }, () => {
//     const brokers = requireBrokers();
//     ...
//   });
import { readFileSync } from 'node:fs';
import type { TestBrokers, TestUsers } from '../broker/brokers.mjs';

export type { SingleCluster, TestBrokers, TestUsers, TrioBroker, TrioCluster } from '../broker/brokers.mjs';

/** The one line a test or suite without a broker is skipped with. */
export const NO_BROKER = 'skipped: no Kafka broker (needs Java 17+ and Maven; see README)';

let loaded: TestBrokers | undefined;

/** The running brokers, or undefined when this run has none (no Java or Maven on the machine). */
export function testBrokers(): TestBrokers | undefined {
  const file = process.env['KAFKAFORM_TEST_BROKERS'];
  if (!file) return undefined;
  if (!loaded) {
    const state = JSON.parse(readFileSync(file, 'utf8')) as TestBrokers;
    if (typeof state.single?.sasl !== 'string' || !Array.isArray(state.trio?.bootstrap)) {
      throw new Error(`${file} (KAFKAFORM_TEST_BROKERS) is not a broker state written by test/broker/brokers.mjs`);
    }
    loaded = state;
  }
  return loaded;
}

/**
 * The `skip` option of a test or suite that needs the brokers: the reason when there are none,
 * false when there are, and false too when KAFKAFORM_REQUIRE_BROKER=1 (CI), so that
 * requireBrokers() fails the test instead of skipping it.
 */
export function brokerSkip(): string | false {
  return testBrokers() || process.env['KAFKAFORM_REQUIRE_BROKER'] === '1' ? false : NO_BROKER;
}

/** The running brokers; throws when there are none (call it inside a suite guarded by brokerSkip). */
export function requireBrokers(): TestBrokers {
  const brokers = testBrokers();
  if (!brokers) {
    throw new Error('no Kafka broker: KAFKAFORM_TEST_BROKERS is not set (run the tests with `node test/run.mjs`)');
  }
  return brokers;
}

/**
 * An unsigned JWT (alg none) for `subject`, valid for an hour: what the `single` cluster's
 * unsecured OAUTHBEARER validator accepts in place of an identity provider's token. The broker
 * authorizes it as `User:<subject>`.
 */
export function unsecuredJwt(subject: string, claims: Record<string, unknown> = {}): string {
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none' })}.${part({ sub: subject, iat: now, exp: now + 3600, ...claims })}.`;
}

/** SASL mechanisms the `single` cluster accepts on both its listeners (besides OAUTHBEARER: `unsecuredJwt`). */
export type TestMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/**
 * Connection options for @platformatic/kafka to the `single` cluster as one of its users: over
 * SASL_PLAINTEXT, or over SASL_SSL trusting only this run's CA when tls is true.
 */
export function singleClientOptions(
  user: keyof TestUsers,
  options: { mechanism?: TestMechanism; tls?: boolean } = {},
): {
  bootstrapBrokers: string[];
  sasl: { mechanism: TestMechanism; username: string; password: string };
  tls?: { ca: string };
} {
  const { single } = requireBrokers();
  const sasl = { mechanism: options.mechanism ?? 'PLAIN', username: user, password: single.users[user] };
  return options.tls
    ? { bootstrapBrokers: [single.ssl], sasl, tls: { ca: readFileSync(single.caFile, 'utf8') } }
    : { bootstrapBrokers: [single.sasl], sasl };
}
