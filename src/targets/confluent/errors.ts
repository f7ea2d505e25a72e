import { STATUS_CODES } from 'node:http';
import { ApiError } from '../../errors.js';

/** What a request was trying to do, for messages: `create` + `topic orders.v1`. */
export interface Operation {
  verb: string;
  resource: string;
  /** The topic concerned, so a 404/40403 can say which topic is unknown. */
  topic?: string;
}

/** Confluent's error codes (`error_code` in REST v3 error bodies) that change what we say. */
export const ERROR_CODES = {
  authentication: 40101,
  authorization: 40301,
  badRequest: 40002,
  unknownTopic: 40403,
  retriable: 50003,
} as const;

/**
 * Turns a failed REST v3 call into one sentence for the user. The status, error code and server
 * message stay in `details`, which the CLI prints after the sentence, so the sentence does not
 * repeat them; a 40002 is the server's own text.
 */
export function describeFailure(op: Operation, err: ApiError): ApiError {
  const d = err.details;
  const code = d.errorCode;
  const server = d.serverMessage;
  let message: string;
  let details = d;
  if (d.status === undefined) {
    // Not an answer from the server: the problem is ours to state, not a server message.
    const { serverMessage: problem, ...rest } = d;
    details = rest;
    const where = d.url === '' ? '' : ` (${d.method} ${d.url})`;
    message = `Cannot ${op.verb} ${op.resource}: ${problem ?? 'network error'}${where}`;
  } else if (d.status === 401 || code === ERROR_CODES.authentication) {
    message = `Authentication failed while trying to ${op.verb} ${op.resource}: check the credentials (auth) configured for this cluster`;
  } else if (d.status === 403 || code === ERROR_CODES.authorization) {
    message = `Not authorized to ${op.verb} ${op.resource}`;
  } else if (code === ERROR_CODES.unknownTopic && op.topic !== undefined) {
    message = `Unknown topic ${op.topic}: cannot ${op.verb} ${op.resource}`;
  } else if (code === ERROR_CODES.badRequest && server) {
    message = server;
  } else {
    message = `Cannot ${op.verb} ${op.resource}: ${STATUS_CODES[d.status] ?? `HTTP ${d.status}`}`;
  }
  const out = new ApiError(message, details);
  out.stack = `${out.name}: ${message}\n${(err.stack ?? '').split('\n').slice(1).join('\n')}`;
  return out;
}
