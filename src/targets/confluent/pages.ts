import { parseStreamedList, type BodyConsumer, type ElementReader } from '../../http/index.js';
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
 * page retried after a broken connection never yields an item twice. `read`, when given, reads
 * items straight from the bytes to the same result (see `parseStreamedList`).
 */
export function consumeListPage<T>(map: (raw: unknown) => T, read?: ElementReader<T>): BodyConsumer<ListPage<T>> {
  // Streamed: a big cluster's config listing is hundreds of megabytes, more than one string may
  // hold, and each entry is reduced by `map` as soon as it is cut out of the body.
  return async (body, parseJson) => {
    const page = await parseStreamedList(body, 'data', parseJson, map, read);
    if (page.other !== undefined) throw malformed('list page');
    if (!page.found) throw malformed('list page (data)');
    return { items: page.items, next: nextLink(page.members.metadata) };
  };
}

function nextLink(metadata: unknown): string | null {
  if (typeof metadata !== 'object' || metadata === null) throw malformed('list page (metadata)');
  const next = (metadata as { next?: unknown }).next;
  if (next === undefined || next === null || next === '') return null;
  if (typeof next !== 'string') throw malformed('list page (metadata.next)');
  return next;
}
