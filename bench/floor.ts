/**
 * The floor: what a bare client needs to download and `JSON.parse` the same bulk lists the CLI
 * reads (topics, every topic's configs, ACLs, in parallel, following `metadata.next`), with the
 * same HTTP library. Run in its own process by `bench/run.ts`; prints `{ms, requests}` as JSON.
 * Process start is not included: the floor is the network and the parse, nothing else.
 */
import { Pool } from 'undici';

interface FloorArgs {
  /** Base URL up to `/kafka/v3`. */
  base: string;
  /** Paths after the base. */
  lists: string[];
  authorization: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as FloorArgs;
const base = new URL(args.base);
const pool = new Pool(base.origin, { connections: 8 });
let requests = 0;

async function getAll(first: string): Promise<number> {
  let next: string | null = `${base.pathname}${first}`;
  let items = 0;
  while (next !== null) {
    requests += 1;
    const res = await pool.request({ path: next, method: 'GET', headers: { authorization: args.authorization, accept: 'application/json' } });
    if (res.statusCode !== 200) throw new Error(`GET ${next}: ${res.statusCode}`);
    const doc = JSON.parse(await res.body.text()) as { data: unknown[]; metadata: { next?: string | null } };
    items += doc.data.length;
    next = doc.metadata.next ? new URL(doc.metadata.next).pathname + new URL(doc.metadata.next).search : null;
  }
  return items;
}

const started = performance.now();
try {
  const counts = await Promise.all(args.lists.map((l) => getAll(l)));
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, requests, items: counts }));
} catch (err) {
  // At 50,000 topics the config list is more than one V8 string can hold: say so in the table.
  process.stdout.write(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
} finally {
  await pool.close();
}
