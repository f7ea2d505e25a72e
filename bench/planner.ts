/**
 * The planner alone, no I/O: `plan(desired, live)` for N topics (default 100,000) with ~29 live
 * configs each (mapped and interned by the REST v3 target's own live mapping, as a real read
 * would) and two ACL bindings per topic, with 10% config drift. Run in its own process by
 * `bench/run.ts`; prints `{ms, actions}` as JSON.
 */
import type { DesiredAcl, DesiredState, DesiredTopic, LiveState, SourceLocation } from '../src/model.js';
import { plan } from '../src/plan/index.js';
import { CONFLUENT_CAPABILITIES } from '../src/targets/confluent/index.js';
import { configEntryReducer, groupConfigs, toLiveState, toV3Acl, type TopicConfigEntry } from '../src/targets/confluent/live.js';
import type { V3Acl, V3Topic, V3TopicConfig } from '../src/targets/confluent/wire.js';
import { SIM_CONFIG_NAMES } from '../test/support/v3-simulator.js';
import { aclsFor, liveConfigsFor, RETENTION_MS, topicName } from './cluster.js';

const topics = Number(process.argv[2] ?? 100_000);
const source: SourceLocation = { file: 'topics.yaml', line: 1, column: 1, path: '' };

/**
 * `value` as a read hands it over: parsed from JSON. Strings built here by concatenation would be
 * V8 ropes, which every comparison and hash must flatten first; parsed strings are flat.
 */
function wire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The live state as the REST v3 target builds it; the wire-shaped temporaries die with the call. */
function liveState(): LiveState {
  const v3Topics: V3Topic[] = [];
  const entries: TopicConfigEntry[] = [];
  const reduce = configEntryReducer();
  for (let i = 0; i < topics; i++) {
    const name = topicName(i);
    v3Topics.push({ topic_name: name, is_internal: false, replication_factor: 3, partitions_count: 6 });
    const own = liveConfigsFor(i, 10);
    for (const key of SIM_CONFIG_NAMES) {
      const set = own[key];
      const config: V3TopicConfig = {
        topic_name: name,
        name: key,
        value: set ?? (key.startsWith('confluent.') ? 'false' : '1'),
        is_default: set === undefined,
        is_read_only: false,
        is_sensitive: false,
        source: set === undefined ? 'DEFAULT_CONFIG' : 'DYNAMIC_TOPIC_CONFIG',
        synonyms: set === undefined ? [] : [{ name: key, value: set, source: 'DYNAMIC_TOPIC_CONFIG' }, { name: key, value: '1', source: 'DEFAULT_CONFIG' }],
      };
      entries.push(reduce(wire(config)));
    }
  }
  const bindings = aclsFor(topics, topics * 2);
  const v3Acls: V3Acl[] = bindings.map(toV3Acl);
  return toLiveState('lkc-bench1', wire(v3Topics), groupConfigs(entries), wire(v3Acls), () => undefined);
}

const live = liveState();
const desiredTopics: DesiredTopic[] = live.topics.map((t) => ({
  name: t.name,
  partitions: 6,
  replicationFactor: 3,
  config: { 'cleanup.policy': 'delete', 'retention.ms': RETENTION_MS },
  source,
}));
// Written out field by field, as the manifest loader builds them (a spread of a JSON-parsed object
// gives V8 objects that are several times slower to read, which the loader never produces).
const desiredAcls: DesiredAcl[] = live.acls.map((b) => ({
  principal: b.principal,
  host: b.host,
  resourceType: b.resourceType,
  resourceName: b.resourceName,
  patternType: b.patternType,
  operation: b.operation,
  permission: b.permission,
  source,
}));
// The scope the manifest loader builds for the bench manifests: `scope.topics`, and the bindings'
// principals named by their roles (not owned whole).
const desired: DesiredState = {
  topics: desiredTopics,
  acls: desiredAcls,
  scope: { topicPrefixes: ['bench.'], groupPrefixes: [], transactionalIdPrefixes: [], cluster: false, principals: [] },
};

// Setup garbage is collected before the clock starts (the child runs with --expose-gc).
(globalThis as { gc?: () => void }).gc?.();
const cpu = process.cpuUsage();
const started = performance.now();
const result = plan(desired, live, { cluster: { name: 'bench', type: 'confluent' }, capabilities: CONFLUENT_CAPABILITIES });
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, actions: result.actions.length }));
