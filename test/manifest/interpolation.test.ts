import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateString } from '../../src/manifest/interpolate.js';
import { HEAD, load, problems, tree } from './helpers.js';

describe('interpolateString', () => {
  it('substitutes set variables, defaults, and escapes', () => {
    const env = { A: 'x', EMPTY: '' };
    assert.deepEqual(interpolateString('${A}-${B:-dflt}-$${A}', env), { value: 'x-dflt-${A}', missing: [], bad: [], empty: [], changed: true });
    assert.equal(interpolateString('${EMPTY:-fallback}', env).value, 'fallback');
    assert.deepEqual(interpolateString('${EMPTY}', env), { value: '', missing: [], bad: [], empty: ['EMPTY'], changed: true });
    assert.deepEqual(interpolateString('${EMPTY:-}', env).empty, []);
    assert.equal(interpolateString('${B:-}', env).value, '');
    assert.equal(interpolateString('${B:-a:-b}', env).value, 'a:-b');
    assert.deepEqual(interpolateString('no refs $A', env), { value: 'no refs $A', missing: [], bad: [], empty: [], changed: false });
  });
  it('reports unset variables and malformed references', () => {
    assert.deepEqual(interpolateString('${X}${Y}', {}).missing, ['X', 'Y']);
    assert.deepEqual(interpolateString('${1BAD} ${}', {}).bad, ['${1BAD}', '${}']);
    assert.deepEqual(interpolateString('open ${NAME', {}).bad, ['${NAME']);
  });
});

describe('interpolation in manifests', () => {
  it('applies to topics, acls, scope and defaults; numbers and booleans where the schema needs them', async () => {
    const root = tree({
      'm.yaml': `${HEAD}scope: { topics: ["\${TEAM}."], groups: ["\${TEAM}-"], cluster: "\${OWN_CLUSTER:-true}" }
topicDefaults: { replicationFactor: "\${RF:-3}" }
topics:
  - name: \${TEAM}.events
    partitions: \${PARTS}
    config: { retention.ms: "\${RETENTION:-7d}", preallocate: "\${PREALLOC:-false}", message.format.version: "\${MFV:-3.0}" }
acls:
  - { principal: "User:\${TEAM}-svc", role: producer, topics: ["\${TEAM}.*"] }
`,
    });
    const d = (await load([root], { TEAM: 'orders', PARTS: '12' })).desiredFor('any');
    assert.deepEqual(d.scope, { topicPrefixes: ['orders.'], groupPrefixes: ['orders-'], transactionalIdPrefixes: [], cluster: true, principals: [] });
    assert.deepEqual(
      d.topics.map(({ source: _s, ...t }) => t),
      [
        {
          name: 'orders.events',
          partitions: 12,
          replicationFactor: 3,
          config: { 'message.format.version': '3.0', preallocate: 'false', 'retention.ms': '604800000' },
        },
      ],
    );
    assert.deepEqual(
      d.acls.map((a) => `${a.principal} ${a.operation} ${a.resourceName} ${a.patternType}`),
      ['User:orders-svc DESCRIBE orders. PREFIXED', 'User:orders-svc WRITE orders. PREFIXED'],
    );
  });

  it('converts only interpolated strings, and only when they spell the type needed', async () => {
    const root = tree({
      'm.yaml': `${HEAD}topics:
  - { name: a, partitions: "\${P}", replicationFactor: 1 }
  - { name: b, partitions: "3", replicationFactor: 1 }
  - { name: c, partitions: "\${BAD}", replicationFactor: 1 }
`,
    });
    assert.deepEqual(await problems([root], root, { P: '3', BAD: 'three' }), [
      'm.yaml:4:28 error "partitions" must be a whole number (/topics/1/partitions)',
      'm.yaml:5:28 error "partitions" must be a whole number (/topics/2/partitions)',
    ]);
    const ok = tree({ 'm.yaml': `${HEAD}topics: [{ name: a, partitions: "\${P}", replicationFactor: 1 }]\n` });
    assert.equal((await load([ok], { P: '3' })).desiredFor('x').topics[0]?.partitions, 3);
  });

  it('names every unset variable with file, line and column, and reports nothing consequential', async () => {
    const root = tree({
      'm.yaml': `${HEAD}topics:
  - name: \${TEAM}.events
    partitions: \${PARTS}
    replicationFactor: 3
  - { name: ok, partitions: 1, replicationFactor: 1, config: { retention.ms: "\${R" } }
`,
    });
    assert.deepEqual(await problems([root], root), [
      'm.yaml:3:11 error environment variable TEAM is not set (write ${TEAM:-default} to give a default) (/topics/0/name)',
      'm.yaml:4:17 error environment variable PARTS is not set (write ${PARTS:-default} to give a default) (/topics/0/partitions)',
      'm.yaml:6:78 error malformed reference "${R": write ${NAME} or ${NAME:-default}, or $${ for a literal ${ (/topics/1/config/retention.ms)',
    ]);
  });

  it('interpolates a reference spelt with a YAML escape, though the text has no "$"', async () => {
    const root = tree({
      'm.yaml': `${HEAD}topics:\n  - { name: a, partitions: 1, replicationFactor: 1, config: { retention.ms: "\\x24{R}" } }\n`,
    });
    assert.doesNotMatch(readFileSync(join(root, 'm.yaml'), 'utf8'), /\$/);
    const d = (await load([root], { R: '1h' })).desiredFor('any');
    assert.deepEqual(d.topics[0]?.config, { 'retention.ms': '3600000' });
  });

  it('leaves cluster settings alone at load time', async () => {
    const root = tree({
      'm.yaml': `${HEAD}clusters:\n  do: { type: digitalocean, databaseId: "\${DB_ID}", token: "\${DIGITALOCEAN_TOKEN}" }\n`,
    });
    const m = await load([root], {});
    assert.deepEqual(m.clusters[0]?.settings, { databaseId: '${DB_ID}', token: '${DIGITALOCEAN_TOKEN}' });
  });
});
