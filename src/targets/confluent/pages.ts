import type { BodyConsumer } from '../../http/index.js';
import { malformed } from './wire.js';

/** One page of a REST v3 collection (`ResourceCollection`): its items and the next page's URL. */
export interface ListPage<T> {
  items: T[];
  /** Absolute URL of the next page (`metadata.next`), or null on the last page. */
  next: string | null;
}

/**
 * Reads one list page. Every list response goes through this one function, so how pages are
 * parsed (whole, or streamed for huge config lists) is decided here alone. `map` checks and
 * shrinks each item as it is read; items are only handed back once the whole page is read, so a
 * page retried after a broken connection never yields an item twice.
 */
export function consumeListPage<T>(map: (raw: unknown) => T): BodyConsumer<ListPage<T>> {
  return async (body, parseJson) => {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk));
    const doc = parseJson(Buffer.concat(chunks).toString('utf8'));
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw malformed('list page');
    const { data, metadata } = doc as { data?: unknown; metadata?: unknown };
    if (!Array.isArray(data)) throw malformed('list page (data)');
    return { items: data.map(map), next: nextLink(metadata) };
  };
}

function nextLink(metadata: unknown): string | null {
  if (typeof metadata !== 'object' || metadata === null) throw malformed('list page (metadata)');
  const next = (metadata as { next?: unknown }).next;
  if (next === undefined || next === null || next === '') return null;
  if (typeof next !== 'string') throw malformed('list page (metadata.next)');
  return next;
}
