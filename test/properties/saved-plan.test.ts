// Saved plans edited at random (actions added, removed, reordered, renamed, re-phased; values,
// digests, options, cluster and counts changed) through the real `apply --plan` command on a
// snapshot cluster: a file that is not, semantically, the plan `plan` gives for these manifests and
// this cluster with the options the file records is always refused and leaves the snapshot byte for
// byte as it was; one that is (keys reordered, whitespace, options and plan edited alike) applies.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { apply, plan, type Io } from '../../src/commands/index.js';
import type { AclOperation } from '../../src/model.js';
import { acl } from '../plan/builders.js';
import { check, Tally } from './runner.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'kafkaform-saved-plans-'));
after(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(ROOT, 'examples', 'quickstart'), dir, { recursive: true });
const SNAPSHOT = join(dir, 'live-state.json');
const ORIGINAL = readFileSync(SNAPSHOT, 'utf8');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

function io(): Io & { out: string; err: string } {
  const streams = {
    out: '',
    err: '',
    stdout: (text: string) => {
      streams.out += text;
    },
    stderr: (text: string) => {
      streams.err += text;
    },
    env: {},
    isTTY: false,
    prompt: () => Promise.reject(new Error('no question expected')),
    cwd: dir,
  };
  return streams;
}

const plans = new Map<string, Obj | undefined>();

/**
 * The plan the `plan` command saves for the quickstart with these options; undefined when they are
 * not options `plan` takes (then no file recording them is a plan of these manifests).
 */
async function savedPlan(options: Json | undefined): Promise<Obj | undefined> {
  const { allowDelete, maxAclDeletes, ...rest } = (typeof options === 'object' && options !== null && !Array.isArray(options) ? options : {}) as Obj;
  if (typeof allowDelete !== 'boolean' || !Number.isInteger(maxAclDeletes) || (maxAclDeletes as number) < 0 || Object.keys(rest).length > 0) return undefined;
  const key = `${allowDelete}-${maxAclDeletes}`;
  if (!plans.has(key)) {
    const streams = io();
    const code = await plan({ format: 'json', out: `plan-${key}.json`, allowDelete, maxAclDeletes: maxAclDeletes as number }, streams);
    // A limit below the plan's ACL deletions makes a plan with an error, saved all the same.
    assert.ok(code === 0 || code === 1, streams.err);
    plans.set(key, JSON.parse(readFileSync(join(dir, `plan-${key}.json`), 'utf8')) as Obj);
  }
  return plans.get(key);
}

const topic = (name: string): Obj => ({ kind: 'topic', name });
const binding = (principal: string, operation: AclOperation, resourceName: string): Obj => ({ kind: 'acl', ...acl(principal, operation, resourceName) });

/** Names a hand edit would reach for: unmanaged, held back, managed, new, and odd ones. */
const NAMES = ['analytics.clicks', 'orders.legacy', 'orders.created.v1', 'payments.refunds.v1', 'orders.new', '__consumer_offsets', 'x'];
const resources = fc.oneof(
  fc.constantFrom(...NAMES).map(topic),
  fc.tuple(fc.constantFrom('User:analytics', 'User:billing', 'User:orders-svc', 'User:mallory'), fc.constantFrom<AclOperation>('READ', 'WRITE', 'ALL'), fc.constantFrom(...NAMES)).map(
    ([p, o, n]) => binding(p, o, n),
  ),
);
const values: fc.Arbitrary<Json> = fc.oneof(fc.constantFrom(null, '1', '604800000', 'compact', 3, 12, 1, true), fc.string({ maxLength: 6 }));
const actions = fc.record({
  phase: fc.integer({ min: 0, max: 7 }),
  action: fc.constantFrom('create', 'update', 'delete', 'destroy'),
  resource: resources,
  changes: fc.constantFrom<Json[]>([], [{ field: 'partitions', from: 6, to: 24 }], [{ field: 'config.retention.ms', from: null, to: '1' }]),
  patch: fc.constantFrom<Json[]>([{ op: 'remove', path: '' }], [{ op: 'add', path: '', value: {} }], [{ op: 'replace', path: '/partitions', value: 24 }]),
}) as fc.Arbitrary<Obj>;
const hex = fc.stringMatching(/^[0-9a-f]{64}$/).map((h) => `sha256:${h}`);

function list(plan: Obj, key: string): Json[] {
  return plan[key] as Json[];
}

/** One hand edit of a saved plan: a function that changes the parsed file in place. */
type Edit = { name: string; apply: (plan: Obj, other: Obj) => void };

const edits: fc.Arbitrary<Edit> = fc.oneof(
  fc.nat().map((i): Edit => ({ name: 'remove an action', apply: (p) => void list(p, 'actions').splice(i % Math.max(1, list(p, 'actions').length), 1) })),
  fc.nat().map((i): Edit => ({
    name: 'repeat an action',
    apply: (p) => {
      const a = list(p, 'actions');
      if (a.length > 0) a.splice(i % a.length, 0, structuredClone(a[i % a.length]!));
    },
  })),
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]): Edit => ({
    name: 'reorder actions',
    apply: (p) => {
      const a = list(p, 'actions');
      if (a.length < 2) return;
      const [x, y] = [i % a.length, j % a.length];
      [a[x], a[y]] = [a[y]!, a[x]!];
    },
  })),
  fc.tuple(actions, fc.nat()).map(([action, i]): Edit => ({ name: 'add an action', apply: (p) => void list(p, 'actions').splice(i % (list(p, 'actions').length + 1), 0, action) })),
  fc.tuple(fc.nat(), resources).map(([i, r]): Edit => ({
    name: 'rename a resource',
    apply: (p) => {
      const a = list(p, 'actions');
      if (a.length > 0) (a[i % a.length] as Obj)['resource'] = r;
    },
  })),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('from', 'to'), values).map(([i, j, side, v]): Edit => ({
    name: 'change a value',
    apply: (p) => {
      const a = list(p, 'actions');
      const changes = a.length > 0 ? ((a[i % a.length] as Obj)['changes'] as Obj[]) : [];
      if (changes.length > 0) changes[j % changes.length]![side] = v;
    },
  })),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(([i, phase]): Edit => ({
    name: 'change a phase',
    apply: (p) => {
      const a = list(p, 'actions');
      if (a.length > 0) (a[i % a.length] as Obj)['phase'] = phase;
    },
  })),
  fc.tuple(fc.constantFrom('desiredDigest', 'fingerprint'), fc.oneof(hex, fc.constantFrom('other', 'swap'))).map(([key, v]): Edit => ({
    name: `change the ${key}`,
    apply: (p, other) => {
      p[key] = v === 'other' ? other[key]! : v === 'swap' ? p[key === 'fingerprint' ? 'desiredDigest' : 'fingerprint']! : v;
    },
  })),
  fc.oneof(
    fc.boolean().map((b) => ({ allowDelete: b })),
    fc.integer({ min: 0, max: 60 }).map((n) => ({ maxAclDeletes: n })),
  ).map((change): Edit => ({ name: 'change the options', apply: (p) => void (p['options'] = { ...(p['options'] as Obj), ...change }) })),
  fc.record({ name: fc.constantFrom('local', 'prod', 'Local'), type: fc.constantFrom('snapshot', 'confluent', 'digitalocean') }).map((cluster): Edit => ({
    name: 'change the cluster',
    apply: (p) => void (p['cluster'] = cluster),
  })),
  fc.tuple(fc.constantFrom('create', 'update', 'delete', 'errors'), fc.integer({ min: 0, max: 9 })).map(([key, n]): Edit => ({
    name: 'change a count',
    apply: (p) => void ((p['summary'] as Obj)[key] = n),
  })),
  fc.constantFrom('heldBack', 'unmanaged', 'warnings', 'errors').map((key): Edit => ({
    name: `empty ${key}`,
    apply: (p) => void (p[key] = []),
  })),
  fc.constantFrom<Json>(1, 3, '2').map((v): Edit => ({ name: 'change the format version', apply: (p) => void (p['formatVersion'] = v) })),
  fc.constant<Edit>({ name: "take the other plan's actions", apply: (p, other) => void (p['actions'] = structuredClone(other['actions']!)) }),
);

/** Every object rebuilt with its keys in reverse order: the same plan, other bytes. */
function reverseKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

describe('saved plans edited by hand', () => {
  it('are refused unless they are the plan of these manifests and this cluster, and never change the snapshot', async (t) => {
    const bases = [(await savedPlan({ allowDelete: false, maxAclDeletes: 50 }))!, (await savedPlan({ allowDelete: true, maxAclDeletes: 50 }))!];
    const tally = new Tally();
    await check(
      t,
      'edited saved plans',
      200,
      fc.asyncProperty(fc.nat({ max: 1 }), fc.array(edits, { maxLength: 3 }), fc.boolean(), fc.boolean(), async (which, chosen, reorder, indent) => {
        const base = bases[which]!;
        const edited = structuredClone(base);
        for (const e of chosen) e.apply(edited, bases[1 - which]!);
        const text = JSON.stringify(reorder ? reverseKeys(edited) : edited, null, indent ? 2 : undefined);
        writeFileSync(join(dir, 'edited.json'), text);
        // What `apply --plan` must find: the plan these manifests give with the options the file records.
        const written = JSON.parse(text) as Obj;
        const same = isDeepStrictEqual(written, await savedPlan(written['options']));

        const streams = io();
        const code = await apply({ planFile: 'edited.json', autoApprove: true, quiet: true }, streams);
        const after = readFileSync(SNAPSHOT, 'utf8');
        assert.equal(existsSync(`${SNAPSHOT}.lock`), false, 'the lock is released');
        if (same && (written['errors'] as Json[]).length === 0) {
          tally.bump('the same plan: applied');
          assert.equal(code, 0, streams.err);
          assert.notEqual(after, ORIGINAL);
          writeFileSync(SNAPSHOT, ORIGINAL);
          return;
        }
        if (same) {
          tally.bump('the same plan, with errors: refused');
          assert.equal(code, 1);
          assert.equal(after, ORIGINAL);
          assert.match(streams.err, /^error: the plan has \d+ errors?; fix the manifests before applying\n$/);
          return;
        }
        assert.equal(code, 1, `an edited plan was applied (${chosen.map((e) => e.name).join(', ')})`);
        assert.equal(after, ORIGINAL, 'a refused plan changed the snapshot');
        assert.match(streams.err, /^error: /);
        assert.doesNotMatch(streams.out, /Apply complete/);
        const why = /not a kafkaform plan|plan format/.test(streams.err)
          ? 'refused: not a plan of this format'
          : /not made from these manifests|was made for cluster|was made with/.test(streams.err)
            ? 'refused: cluster or options'
            : /changed since/.test(streams.err)
              ? 'refused: digest differs'
              : /the file was edited/.test(streams.err)
                ? 'refused: not the fresh plan'
                : 'refused: other';
        tally.bump(why);
      }),
      tally,
      { shrink: false },
    );
    assert.ok(tally.get('the same plan: applied') > 0, 'some files were the same plan');
    assert.ok(tally.get('refused: not the fresh plan') > 0, 'some edits got past the schema and the digests');
    assert.equal(tally.get('refused: other'), 0);
  });
});
