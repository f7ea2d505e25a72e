/**
 * URL building where every caller-supplied piece is percent-encoded, so topic names and principals
 * such as `User:CN=svc,OU=x` can never change the shape of a request.
 */

/** A query parameter value; `undefined` leaves the parameter out. */
export type QueryValue = string | number | boolean | undefined;

/** Query parameters, encoded in sorted key order so URLs (and logs of them) are deterministic. */
export type Query = Record<string, QueryValue>;

/**
 * Tagged template for request paths: literal parts are kept, every interpolated value is encoded
 * as one path segment (`/` inside a value becomes `%2F`).
 *
 * @example path`/clusters/${id}/topics/${name}/configs:alter`
 */
export function path(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += encodeSegment(String(value)) + (strings[i + 1] ?? '');
  });
  return out;
}

/** Encodes one path segment; also `.`/`..` are escaped so a value cannot walk up the path. */
export function encodeSegment(value: string): string {
  if (value === '.' || value === '..') return value.replace(/\./g, '%2E');
  return encodeURIComponent(value);
}

/** Encodes a query string (with its leading `?`), or returns '' when no parameter is set. */
export function encodeQuery(query: Query | undefined): string {
  if (!query) return '';
  const parts = Object.keys(query)
    .sort()
    .flatMap((key) => {
      const value = query[key];
      return value === undefined ? [] : [`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`];
    });
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}
