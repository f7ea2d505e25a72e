import type { DesiredAcl, DesiredState, DesiredTopic, LiveState, Plan, SourceLocation } from '../../../src/model.js';
import { plan } from '../../../src/plan/index.js';
import { CONFLUENT_CAPABILITIES, ConfluentTarget, parseConfluentSettings } from '../../../src/targets/confluent/index.js';
import type { JsonValue } from '../../../src/model.js';

/** A source location for hand-built desired state. */
export const SRC: SourceLocation = { file: 'test.yaml', line: 1, column: 1, path: '' };

/** A desired topic with defaults. */
export function topic(name: string, partitions = 6, config: Record<string, string> = {}, replicationFactor = 3): DesiredTopic {
  return { name, partitions, replicationFactor, config, source: SRC };
}

/** A desired ACL binding with defaults. */
export function acl(principal: string, resourceName: string, operation: DesiredAcl['operation'], extra: Partial<DesiredAcl> = {}): DesiredAcl {
  return {
    principal,
    host: '*',
    resourceType: 'TOPIC',
    resourceName,
    patternType: 'LITERAL',
    operation,
    permission: 'ALLOW',
    source: SRC,
    ...extra,
  };
}

/** Desired state; scope defaults to owning `orders.` topics (and the named principals' bindings on them). */
export function desired(topics: DesiredTopic[], acls: DesiredAcl[] = [], topicPrefixes: string[] = ['orders.']): DesiredState {
  return { topics, acls, scope: { topicPrefixes, groupPrefixes: [], transactionalIdPrefixes: [], cluster: false, principals: [] } };
}

/** The real planner with the Confluent capabilities. */
export function planFor(want: DesiredState, live: LiveState, allowDelete = true): Plan {
  return plan(want, live, { cluster: { name: 'sim', type: 'confluent' }, capabilities: CONFLUENT_CAPABILITIES, allowDelete });
}

/** A target on a simulator URL with instant retries; `logs` collects what it logs. */
export function openTarget(
  settings: Record<string, JsonValue>,
  options: { debug?: boolean } = {},
): { target: ConfluentTarget; logs: string[]; sleeps: number[] } {
  const logs: string[] = [];
  const sleeps: number[] = [];
  const target = new ConfluentTarget(
    parseConfluentSettings({ retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 5 }, ...settings }, 'sim', '/'),
    CONFLUENT_CAPABILITIES,
    { log: (l) => logs.push(l), debug: options.debug ?? false },
    {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  );
  return { target, logs, sleeps };
}
