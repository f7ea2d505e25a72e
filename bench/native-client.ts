/**
 * A bare Kafka client (`@platformatic/kafka`'s protocol-level APIs, as the CLI uses) against the
 * benchmark's broker, in its own process; prints `{ms, requests}` as JSON. Library loading and the
 * connection are not timed: the measure is the requests and the decoding, nothing else.
 *
 *   floor: Metadata, DescribeConfigs of every topic with synonyms and one any-filter DescribeAcls,
 *          split and spread over connections as the CLI does to read a cluster (`configRequests`).
 *   peers: Metadata, then one DescribeConfigs per topic (`parallelism` at once) and the ACLs: the
 *          one-request-per-topic approach of topicctl and similar tools.
 */
import { Connection, describeAclsV3, describeConfigsV4, metadataV10 } from '@platformatic/kafka';
import { configRequests, READ_CONNECTIONS } from '../src/targets/kafka/client.js';

interface Args {
  mode: 'floor' | 'peers';
  host: string;
  port: number;
  username: string;
  password: string;
  parallelism?: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const open = async (): Promise<Connection> => {
  const c = new Connection('kafkaform-bench', {
    requestTimeout: 300_000,
    maxInflights: args.parallelism ?? 5,
    sasl: { mechanism: 'PLAIN', username: args.username, password: args.password },
  });
  await c.connect(args.host, args.port);
  return c;
};
// The floor reads over as many connections as the CLI: the configs' and one for the ACLs.
const connections = await Promise.all(Array.from({ length: args.mode === 'floor' ? READ_CONNECTIONS + 1 : 1 }, open));
const connection = connections[0]!;

const ANY = { resourceType: 1, resourceName: null, resourcePatternType: 1, principal: null, host: null, operation: 1, permissionType: 1 } as const;
let requests = 0;
const started = performance.now();
const md = await metadataV10.api.async(connection, null, false, false);
requests++;
const names = md.topics.map((t) => t.name ?? '');
const describe = (topics: string[], on = connection): Promise<unknown> => {
  requests++;
  return describeConfigsV4.api.async(on, topics.map((resourceName) => ({ resourceType: 2, resourceName, configurationKeys: null })), true, false);
};
if (args.mode === 'floor') {
  requests++;
  await Promise.all([
    ...configRequests(names).map((chunk, i) => describe(chunk, connections[i % READ_CONNECTIONS])),
    describeAclsV3.api.async(connections[READ_CONNECTIONS]!, ANY),
  ]);
} else {
  requests++;
  const acls = describeAclsV3.api.async(connection, ANY);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) await describe([names[next++] as string]);
  };
  await Promise.all(Array.from({ length: args.parallelism ?? 10 }, worker));
  await acls;
}
const ms = performance.now() - started;
await Promise.all(connections.map((c) => c.close()));
process.stdout.write(`${JSON.stringify({ ms, requests })}\n`);
