import { ApiError } from '../../errors.js';
import type { AlterOperation, ConfigEntry } from '../actions.js';
import { ByteStrings, HttpClient, path, type ElementReader, type HttpRequest } from '../../http/index.js';
import { describeFailure, type Operation } from './errors.js';
import { consumeListPage } from './pages.js';
import { readTopicConfig, toAcl, toClusterId, toTopic, toTopicConfig, type V3Acl, type V3Topic, type V3TopicConfig } from './wire.js';


/** Hard cap on followed `metadata.next` links, against a server that never ends. */
const MAX_PAGES = 100_000;

/**
 * The REST v3 endpoints kafkaform uses, for one cluster. Every failure is an `ApiError` whose
 * message says what was being done (see `describeFailure`).
 */
export class ConfluentApi {
  constructor(
    private readonly http: HttpClient,
    readonly clusterId: string,
  ) {}

  /** Every cluster the endpoint knows (REST Proxy and Confluent Server know exactly one). */
  static async listClusterIds(http: HttpClient): Promise<string[]> {
    return list(http, '/clusters', toClusterId, { verb: 'list', resource: 'clusters' });
  }

  /** `GET /clusters/{id}/topics`, every page. */
  listTopics(): Promise<V3Topic[]> {
    return list(this.http, path`/clusters/${this.clusterId}/topics`, toTopic, { verb: 'list', resource: 'topics' });
  }

  /**
   * `GET /clusters/{id}/topics/-/configs`: every topic's configs in one listing, each entry
   * reduced by `reduce` as soon as it is read.
   */
  listAllTopicConfigs<T>(reduce: (entry: V3TopicConfig) => T): Promise<T[]> {
    // Every topic repeats the same config names and default values; the topic name repeats
    // on its consecutive entries.
    const strings = new ByteStrings(4096);
    const topics = new ByteStrings(16);
    return list(
      this.http,
      path`/clusters/${this.clusterId}/topics/-/configs`,
      (raw) => reduce(toTopicConfig(raw)),
      { verb: 'list', resource: 'topic configs' },
      (r) => reduce(readTopicConfig(r, strings, topics)),
    );
  }

  /** `GET /clusters/{id}/acls`, every page. */
  listAcls(): Promise<V3Acl[]> {
    return list(this.http, path`/clusters/${this.clusterId}/acls`, toAcl, { verb: 'list', resource: 'ACLs' });
  }

  /** `GET /clusters/{id}/topics/{name}`; undefined when the topic does not exist. */
  async getTopic(name: string): Promise<V3Topic | undefined> {
    const op = { verb: 'read', resource: `topic ${name}`, topic: name };
    try {
      const res = await this.http.request({ method: 'GET', path: path`/clusters/${this.clusterId}/topics/${name}` });
      return toTopic(res.body);
    } catch (err) {
      if (err instanceof ApiError && err.details.status === 404) return undefined;
      throw wrap(op, err);
    }
  }

  /** `GET /clusters/{id}/topics/{name}/configs`. */
  getTopicConfigs(name: string): Promise<V3TopicConfig[]> {
    return list(this.http, path`/clusters/${this.clusterId}/topics/${name}/configs`, toTopicConfig, {
      verb: 'read',
      resource: `the configs of topic ${name}`,
      topic: name,
    });
  }

  /** `POST /clusters/{id}/topics`; with `validateOnly` a dry run (answered 200, nothing created). */
  async createTopic(
    topic: { name: string; partitions: number; replicationFactor: number; configs: ConfigEntry[] },
    validateOnly: boolean,
  ): Promise<void> {
    await this.send(
      {
        method: 'POST',
        path: path`/clusters/${this.clusterId}/topics`,
        body: {
          topic_name: topic.name,
          partitions_count: topic.partitions,
          replication_factor: topic.replicationFactor,
          configs: topic.configs,
          ...(validateOnly ? { validate_only: true } : {}),
        },
      },
      { verb: validateOnly ? 'validate the creation of' : 'create', resource: `topic ${topic.name}`, topic: topic.name },
    );
  }

  /** `PATCH /clusters/{id}/topics/{name}` with the new partition count. */
  async updatePartitions(name: string, partitions: number): Promise<void> {
    await this.send(
      { method: 'PATCH', path: path`/clusters/${this.clusterId}/topics/${name}`, body: { partitions_count: partitions } },
      { verb: 'increase the partitions of', resource: `topic ${name}`, topic: name },
    );
  }

  /** `POST /clusters/{id}/topics/{name}/configs:alter` with every SET and DELETE of one topic. */
  async alterConfigs(name: string, operations: AlterOperation[], validateOnly: boolean): Promise<void> {
    await this.send(
      {
        method: 'POST',
        path: path`/clusters/${this.clusterId}/topics/${name}/configs:alter`,
        body: { data: operations, ...(validateOnly ? { validate_only: true } : {}) },
      },
      { verb: validateOnly ? 'validate the config changes of' : 'alter the configs of', resource: `topic ${name}`, topic: name },
    );
  }

  /**
   * `POST /clusters/{id}/acls:batch`. Returns false, having created nothing, when the endpoint
   * does not exist (older REST Proxy: 404 or 405), so the caller can fall back to `createAcl`.
   */
  async createAclsBatch(acls: V3Acl[]): Promise<boolean> {
    try {
      await this.http.request({ method: 'POST', path: path`/clusters/${this.clusterId}/acls:batch`, body: { data: acls } });
      return true;
    } catch (err) {
      if (err instanceof ApiError && isMissingEndpoint(err)) return false;
      throw wrap({ verb: 'create', resource: `${acls.length} ACL binding(s)` }, err);
    }
  }

  /** `POST /clusters/{id}/acls` for one binding. */
  async createAcl(acl: V3Acl): Promise<void> {
    await this.send(
      { method: 'POST', path: path`/clusters/${this.clusterId}/acls`, body: acl },
      { verb: 'create', resource: describeAcl(acl) },
    );
  }

  /**
   * `DELETE /clusters/{id}/acls` with every field of the binding as a filter, so it matches this
   * binding and nothing else. Returns how many bindings were deleted (0 when already gone).
   */
  async deleteAcl(acl: V3Acl): Promise<number> {
    const res = await this.send(
      { method: 'DELETE', path: path`/clusters/${this.clusterId}/acls`, query: { ...acl } },
      { verb: 'delete', resource: describeAcl(acl) },
    );
    const data = (res as { data?: unknown } | undefined)?.data;
    return Array.isArray(data) ? data.length : 0;
  }

  /** `DELETE /clusters/{id}/topics/{name}`; false when the topic was already gone. */
  async deleteTopic(name: string): Promise<boolean> {
    try {
      await this.http.request({ method: 'DELETE', path: path`/clusters/${this.clusterId}/topics/${name}` });
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.details.status === 404 && err.details.errorCode === 40403) return false;
      throw wrap({ verb: 'delete', resource: `topic ${name}`, topic: name }, err);
    }
  }

  private async send(req: HttpRequest, op: Operation): Promise<unknown> {
    try {
      return (await this.http.request(req)).body;
    } catch (err) {
      throw wrap(op, err);
    }
  }
}

/** `ACL User:x ALLOW READ on TOPIC orders (PREFIXED)`. */
export function describeAcl(acl: V3Acl): string {
  const host = acl.host === '*' ? '' : ` from host ${acl.host}`;
  return `ACL ${acl.principal} ${acl.permission} ${acl.operation} on ${acl.resource_type} ${acl.resource_name} (${acl.pattern_type})${host}`;
}

function isMissingEndpoint(err: ApiError): boolean {
  const { status, errorCode } = err.details;
  // A 404 for a missing topic or cluster carries its own error code; the endpoint itself missing
  // is a bare 404 (error_code 404 or none) or a 405.
  return status === 405 || (status === 404 && (errorCode === undefined || errorCode === 404) && !/cluster/i.test(err.details.serverMessage ?? ''));
}

function wrap(op: Operation, err: unknown): unknown {
  return err instanceof ApiError ? describeFailure(op, err) : err;
}

async function list<T>(http: HttpClient, first: string, map: (raw: unknown) => T, op: Operation, read?: ElementReader<T>): Promise<T[]> {
  const out: T[] = [];
  const seen = new Set<string>();
  let next: string | null = first;
  while (next !== null) {
    if (seen.has(next) || seen.size >= MAX_PAGES) {
      throw new ApiError(`Cannot ${op.verb} ${op.resource}: the server's pages lead back to a page already read`, { method: 'GET', url: next });
    }
    seen.add(next);
    let page;
    try {
      page = (await http.request({ method: 'GET', path: next }, consumeListPage(map, read))).body;
    } catch (err) {
      throw wrap(op, err);
    }
    for (const item of page.items) out.push(item);
    next = page.next;
  }
  return out;
}
