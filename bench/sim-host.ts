/**
 * Runs one simulator (REST v3 or DigitalOcean) in its own process for the benchmark, so serving
 * a 10,000-topic cluster never shares an event loop with the CLI or the floor client being
 * measured. Driven over IPC by `bench/run.ts`: it seeds the cluster, answers with the base URL,
 * and reports what went over the wire (requests, statuses, bytes written) on request.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { V3Simulator, type SimAcl } from '../test/support/v3-simulator.js';
import { DoSimulator } from '../test/support/do-simulator.js';
import type { ClusterShape, HostReply, HostRequest, WireStats } from './protocol.js';
import { aclsFor, liveConfigsFor, topicName } from './cluster.js';

const sockets = new Set<Socket>();
/** Bytes written by sockets already closed (a closed socket's count is folded in once). */
let closedBytes = 0;
let requests = 0;
let firstAt: number | undefined;
let lastAt = 0;
const statuses = new Map<number, number>();
let clearRecords: (() => void) | undefined;

subscribe('http.server.request.start', () => {
  firstAt ??= performance.now();
});

subscribe('http.server.response.finish', (message) => {
  const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
  requests += 1;
  lastAt = performance.now();
  statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
  const socket = request.socket;
  if (!sockets.has(socket)) {
    sockets.add(socket);
    socket.once('close', () => {
      closedBytes += socket.bytesWritten;
      sockets.delete(socket);
    });
  }
  // The simulators record every request with its parsed body for tests; the benchmark only
  // counts, and must not keep a 300 MB config listing alive between requests.
  clearRecords?.();
});

function stats(): WireStats {
  let bytes = closedBytes;
  for (const s of sockets) bytes += s.bytesWritten;
  const spanMs = firstAt === undefined ? 0 : lastAt - firstAt;
  return { requests, bytes, statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])), spanMs };
}

function resetStats(): void {
  closedBytes = 0;
  for (const s of sockets) closedBytes -= s.bytesWritten;
  requests = 0;
  firstAt = undefined;
  statuses.clear();
}

async function startV3(shape: ClusterShape): Promise<{ url: string; close: () => Promise<void> }> {
  const sim = await V3Simulator.start({
    clusterId: 'lkc-bench1',
    auth: { type: 'basic', username: 'bench-key', password: 'bench-secret-0123456789' },
    listClusters: false,
    requiredReplicationFactor: 3,
    latencyMs: shape.latencyMs,
    ...(shape.rateLimitPerSecond !== undefined ? { rateLimit: { requestsPerSecond: shape.rateLimitPerSecond } } : {}),
    ...(shape.pageSize !== undefined ? { pageSize: shape.pageSize } : {}),
  });
  for (let i = 0; i < shape.topics; i++) {
    sim.addTopic({ name: topicName(i), partitions: 6, replicationFactor: 3, configs: liveConfigsFor(i, shape.driftEvery) });
  }
  // Straight into the list: `addAcl` checks for duplicates one by one, quadratic at 20,000.
  const acls: SimAcl[] = aclsFor(shape.topics, shape.acls).map((a) => ({
    resource_type: a.resourceType,
    resource_name: a.resourceName,
    pattern_type: a.patternType,
    principal: a.principal,
    host: a.host,
    operation: a.operation,
    permission: a.permission,
  }));
  sim.acls.push(...acls);
  clearRecords = () => sim.resetRequests();
  return { url: sim.cloudUrl, close: () => sim.close() };
}

async function startDo(shape: ClusterShape): Promise<{ url: string; close: () => Promise<void> }> {
  const sim = new DoSimulator({ latencyMs: shape.latencyMs });
  for (let i = 0; i < shape.topics; i++) {
    sim.addTopic(topicName(i), 6, 3, { retention_ms: 259_200_000, cleanup_policy: 'delete' });
  }
  if (shape.rateLimitPerWindow !== undefined) sim.setRateLimit(shape.rateLimitPerWindow.limit, shape.rateLimitPerWindow.windowMs);
  const url = await sim.start();
  clearRecords = () => {
    sim.requests.length = 0;
  };
  return { url, close: () => sim.close() };
}

let running: { url: string; close: () => Promise<void> } | undefined;

function reply(message: HostReply): void {
  process.send?.(message);
}

process.on('message', (raw) => {
  const msg = raw as HostRequest;
  void (async () => {
    try {
      switch (msg.type) {
        case 'start':
          running = msg.shape.kind === 'v3' ? await startV3(msg.shape) : await startDo(msg.shape);
          resetStats();
          reply({ type: 'started', url: running.url });
          return;
        case 'stats':
          reply({ type: 'stats', stats: stats() });
          return;
        case 'reset':
          resetStats();
          reply({ type: 'stats', stats: stats() });
          return;
        case 'close':
          await running?.close();
          reply({ type: 'closed' });
          process.disconnect();
          return;
      }
    } catch (err) {
      reply({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  })();
});
