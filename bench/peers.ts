/**
 * The approach our users' peers take (Terraform providers, topic-by-topic tools): list the topics,
 * then one request per topic for its configs, `parallelism` at a time (Terraform's default is
 * 10), then the ACLs. A bare client, so its time is a lower bound for those tools. Run in its own
 * process by `bench/run.ts`; prints `{ms, requests}` as JSON.
 */
import { Pool } from 'undici';

interface PeerArgs {
  base: string;
  clusterId: string;
  authorization: string;
  parallelism: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as PeerArgs;
const base = new URL(args.base);
const pool = new Pool(base.origin, { connections: args.parallelism });
let requests = 0;

async function get(path: string): Promise<{ data: Array<Record<string, unknown>> }> {
  requests += 1;
  const res = await pool.request({
    path: `${base.pathname}/clusters/${args.clusterId}${path}`,
    method: 'GET',
    headers: { authorization: args.authorization, accept: 'application/json' },
  });
  if (res.statusCode !== 200) throw new Error(`GET ${path}: ${res.statusCode}`);
  return JSON.parse(await res.body.text()) as { data: Array<Record<string, unknown>> };
}

const started = performance.now();
const topics = (await get('/topics')).data.map((t) => String(t.topic_name));
let next = 0;
await Promise.all(
  Array.from({ length: args.parallelism }, async () => {
    while (next < topics.length) {
      const name = topics[next++] as string;
      await get(`/topics/${encodeURIComponent(name)}/configs`);
    }
  }),
);
await get('/acls');
const ms = performance.now() - started;
await pool.close();
process.stdout.write(JSON.stringify({ ms, requests }));
