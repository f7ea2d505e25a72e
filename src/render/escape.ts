/**
 * Characters a terminal or viewer may interpret instead of print: C0/C1 controls (ESC starts ANSI
 * sequences), DEL, bidirectional overrides and isolates (Trojan Source), line/paragraph separators,
 * the BOM and lone surrogates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function escapeChar(ch: string): string {
  switch (ch) {
    case '\\':
      return '\\\\';
    case '"':
      return '\\"';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
  }
  if (!UNSAFE.test(ch)) return ch;
  const code = ch.codePointAt(0) as number;
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Makes a name or value from a server or a user safe to print: returned unchanged when it holds
 * nothing a terminal could interpret, otherwise double-quoted with every such character escaped
 * (`"evil\x1b[31m"`), so the reader sees exactly what is there and the terminal runs nothing.
 */
export function safe(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return `"${Array.from(text, escapeChar).join('')}"`;
}

/** A string value as the text plan shows it: always quoted, with unsafe characters escaped. */
export function quoted(text: string): string {
  return `"${Array.from(text, escapeChar).join('')}"`;
}

/**
 * What `JSON.stringify` leaves raw that a terminal may still interpret: DEL, C1 controls (CSI is
 * U+009B), bidirectional controls, line/paragraph separators and the BOM. (It escapes C0 and lone
 * surrogates itself.)
 */
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * JSON text with those characters written as `\uXXXX` escapes: the same JSON value, but safe to
 * print. They can only occur inside strings, where the escape means the same character.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(RAW_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
