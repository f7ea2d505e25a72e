// Plans for renderer tests, computed by the real planner from small states.
import type { Plan } from '../../src/model.js';
import { plan } from '../../src/plan/index.js';
import { acl, desired, inherited, live, liveTopic, onTopic, options, topic } from '../plan/builders.js';

/** A plan with one of everything: every phase, an error, held back, unmanaged and a warning. */
export function everythingPlan(): Plan {
  return plan(
    desired({
      topics: [
        topic('orders.created.v1', { partitions: 12, config: { 'retention.ms': '604800000', 'cleanup.policy': 'delete' } }),
        topic('orders.updated.v1', { partitions: 6, config: { 'retention.ms': '86400000', 'secret.x': 'hunter2', 'secret.y': 'z' } }),
        topic('orders.shrunk.v1', { partitions: 1 }),
      ],
      acls: [acl('User:orders-svc', 'WRITE', 'orders.', { patternType: 'PREFIXED' })],
      topicPrefixes: ['orders.'],
      principals: ['User:old-svc'],
    }),
    live({
      topics: [
        liveTopic('orders.updated.v1', {
          configs: {
            'retention.ms': onTopic('604800000'),
            'segment.bytes': onTopic('1073741824'),
            'max.message.bytes': inherited('1048588'),
            'secret.x': onTopic('old-secret', { sensitive: true }),
            'secret.y': { ...onTopic('x', { sensitive: true }), value: null },
          },
        }),
        liveTopic('orders.shrunk.v1'),
        liveTopic('orders.legacy'),
        liveTopic('orders.gone'),
        liveTopic('analytics.raw'),
      ],
      acls: [acl('User:old-svc', 'READ', 'orders.legacy'), acl('User:bi', 'READ', 'analytics.raw'), acl('User:bi', 'DESCRIBE', 'analytics.raw')],
    }),
    options({ cluster: { name: 'prod', type: 'confluent' } }),
  );
}

/** The same plan with topic deletion allowed (adds phase 6). */
export function deletingPlan(): Plan {
  return plan(
    desired({ topicPrefixes: ['orders.'] }),
    live({ topics: [liveTopic('orders.legacy')] }),
    options({ allowDelete: true }),
  );
}

/** A plan with no changes. */
export function emptyPlan(): Plan {
  return plan(desired({ topics: [topic('a')] }), live({ topics: [liveTopic('a')] }), options());
}

/**
 * A plan whose names and values came from a hostile server: ANSI escapes, newlines, bidi
 * overrides, markdown and HTML.
 */
export function hostilePlan(): Plan {
  const evil = 'evil\u001b[2J\u001b]0;pwned\u0007\r\nname\u202e|`<script>@org/team';
  return plan(
    desired({
      topics: [topic(`orders.${evil}`, { config: { 'retention.ms': '1' } }), topic('orders.ok', { config: { [`x.${evil}`]: `v${evil}` } })],
      acls: [acl(`User:${evil}`, 'READ', `orders.${evil}`)],
      topicPrefixes: ['orders.'],
    }),
    live({
      topics: [liveTopic('orders.ok', { configs: { 'cleanup.policy': onTopic(`delete${evil}`) } }), liveTopic(`other.${evil}`)],
      acls: [acl(`User:${evil}`, 'WRITE', 'x')],
    }),
    options({ cluster: { name: `prod${evil}`, type: 'snapshot' } }),
  );
}
