/** Messages between the benchmark driver and a simulator host process (`bench/sim-host.ts`). */

/** The cluster a simulator host builds. */
export interface ClusterShape {
  kind: 'v3' | 'do';
  topics: number;
  /** ACL bindings (REST v3 only). */
  acls: number;
  /** Added before every response, like a network round trip. */
  latencyMs: number;
  /** Every n-th topic's retention differs from the manifests (10: 10% drift); 0: none. */
  driftEvery: number;
  /** REST v3: requests per second the server accepts before answering 429. */
  rateLimitPerSecond?: number;
  /** DigitalOcean: requests per sliding window. */
  rateLimitPerWindow?: { limit: number; windowMs: number };
  /** REST v3: items per list page (unset: one page, as Confluent Cloud answers). */
  pageSize?: number;
}

/** What went over the wire since the last reset, counted on the server side. */
export interface WireStats {
  requests: number;
  /** Bytes the server wrote (headers and bodies): what the client received. */
  bytes: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  /** Milliseconds from the first request's arrival to the last response's end (0 when none). */
  spanMs: number;
}

/** Driver to host. */
export type HostRequest =
  | { type: 'start'; shape: ClusterShape }
  | { type: 'stats' }
  | { type: 'reset' }
  | { type: 'close' };

/** Host to driver. */
export type HostReply =
  | { type: 'started'; url: string }
  | { type: 'stats'; stats: WireStats }
  | { type: 'closed' }
  | { type: 'error'; message: string };
