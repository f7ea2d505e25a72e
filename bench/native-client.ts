/**
 * A bare Kafka client (`@platformatic/kafka`'s protocol-level APIs, as the CLI uses) against the
 * benchmark's broker, in its own process; prints `{ms, requests}` as JSON. Library loading and the
 * connection are not timed: the measure is the requests and the decoding, nothing else.
 *
 *   floor: Metadata, one DescribeConfigs of every topic with synonyms, one any-filter DescribeAcls
 *          (the same requests the CLI makes to read a cluster).
 *   peers: Metadata, then one DescribeConfigs per topic (`parallelism` at once) and the ACLs: the
 *          one-request-per-topic approach of topicctl and similar tools.
 */
import { Connection, describeAclsV3, describeConfigsV4, metadataV10 } from '@platformatic/kafka';

interface Args {
  mode: 'floor' | 'peers';
  host: string;
  port: number;
  username: string;
  password: string;
  parallelism?: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const connection = new Connection('kafkaform-bench', {
  requestTimeout: 300_000,
  maxInflights: args.parallelism ?? 5,
  sasl: { mechanism: 'PLAIN', username: args.username, password: args.password },
});
await connection.connect(args.host, args.port);

const ANY = { resourceType: 1, resourceName: null, resourcePatternType: 1, principal: null, host: null, operation: 1, permissionType: 1 } as const;
let requests = 0;
const started = performance.now();
const md = await metadataV10.api.async(connection, null, false, false);
requests++;
const names = md.topics.map((t) => t.name ?? '');
const describe = (topics: string[]): Promise<unknown> => {
  requests++;
  return describeConfigsV4.api.async(connection, topics.map((resourceName) => ({ resourceType: 2, resourceName, configurationKeys: null })), true, false);
};
if (args.mode === 'floor') {
  requests++;
  await Promise.all([describe(names), describeAclsV3.api.async(connection, ANY)]);
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
await connection.close();
process.stdout.write(`${JSON.stringify({ ms, requests })}\n`);
