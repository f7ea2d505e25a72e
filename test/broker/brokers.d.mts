// Types of brokers.mjs (plain JavaScript so that test/run.mjs can use it without tsx).

/** The passwords of the users of the `single` cluster (the same for PLAIN and SCRAM). */
export interface TestUsers {
  /** Super user. */
  admin: string;
  /** No ACLs: tests grant what they need. */
  alice: string;
  /** Never granted anything: authorization failures (29, 31). */
  nobody: string;
}

/** One KRaft node with SASL (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) and the ACL authorizer. */
export interface SingleCluster {
  /** host:port of the SASL_PLAINTEXT listener. */
  sasl: string;
  /** host:port of the SASL_SSL listener, its certificate signed by caFile for 127.0.0.1 and localhost. */
  ssl: string;
  /** Absolute path of the PEM CA certificate made for this run. */
  caFile: string;
  users: TestUsers;
  pids: number[];
}

/** One broker of the `trio` cluster. */
export interface TrioBroker {
  id: number;
  rack: string;
  /** host:port of its PLAINTEXT listener. */
  address: string;
}

/** Three combined KRaft nodes, PLAINTEXT, no authorizer (ACL calls answer SECURITY_DISABLED). */
export interface TrioCluster {
  bootstrap: string[];
  brokers: TrioBroker[];
  pids: number[];
}

/** What startBrokers returns and writes to the file named by KAFKAFORM_TEST_BROKERS. */
export interface TestBrokers {
  /** Apache Kafka version running. */
  version: string;
  /** Temporary directory of the run (logs, data, certificates), removed by stopBrokers. */
  dir: string;
  single: SingleCluster;
  trio: TrioCluster;
}

export interface StartOptions {
  version?: string;
  heap?: string;
  timeoutMs?: number;
  stateFile?: string;
  owner?: number;
  log?: (line: string) => void;
}

export const DEFAULT_KAFKA_VERSION: string;
export function cacheRoot(): string;
export function brokerPrerequisiteProblem(): string | undefined;
export function ensureKafkaJars(version?: string, log?: (line: string) => void): string;
export function killStaleBrokers(log?: (line: string) => void): void;
export function startBrokers(options?: StartOptions): Promise<TestBrokers>;
export function stopBrokers(state: TestBrokers): void;
