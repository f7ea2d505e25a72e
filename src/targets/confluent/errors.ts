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
 * Turns a failed REST v3 call into one sentence for the user, keeping the status, error code and
 * server message in `details` for reports and `--debug`.
 */
export function describeFailure(op: Operation, err: ApiError): ApiError {
  const d = err.details;
  const code = d.errorCode;
  const server = d.serverMessage;
  let message: string;
  if (d.status === undefined) {
    const where = d.url === '' ? '' : ` (${d.method} ${d.url})`;
    message = `Cannot ${op.verb} ${op.resource}: ${server ?? 'network error'}${where}.`;
  } else if (d.status === 401 || code === ERROR_CODES.authentication) {
    message = `Authentication failed while trying to ${op.verb} ${op.resource} (HTTP ${d.status}${codeText(code)}): check the credentials (auth) configured for this cluster.`;
  } else if (d.status === 403 || code === ERROR_CODES.authorization) {
    message = `Not authorized to ${op.verb} ${op.resource} (HTTP ${d.status}${codeText(code)}${server ? `: ${server}` : ''}).`;
  } else if (code === ERROR_CODES.unknownTopic && op.topic !== undefined) {
    message = `Unknown topic ${op.topic}: cannot ${op.verb} ${op.resource} (HTTP ${d.status}${codeText(code)}).`;
  } else if (code === ERROR_CODES.badRequest && server) {
    message = `Cannot ${op.verb} ${op.resource}: ${server}`;
  } else {
    const status = `HTTP ${d.status} ${STATUS_CODES[d.status] ?? ''}`.trimEnd();
    message = `Cannot ${op.verb} ${op.resource}: ${status}${codeText(code)}${server ? `: ${server}` : ''}.`;
  }
  const out = new ApiError(message, d);
  out.stack = `${out.name}: ${message}\n${(err.stack ?? '').split('\n').slice(1).join('\n')}`;
  return out;
}

function codeText(code: number | string | undefined): string {
  return code === undefined ? '' : `, error ${code}`;
}
