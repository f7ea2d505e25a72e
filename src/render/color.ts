/** How text output is decorated; the CLI picks colour (TTY and no NO_COLOR) or plain. */
export interface Palette {
  add(text: string): string;
  change(text: string): string;
  remove(text: string): string;
  error(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const identity = (text: string): string => text;

/** No decoration: for pipes, files, NO_COLOR and tests. */
export const PLAIN: Palette = {
  add: identity,
  change: identity,
  remove: identity,
  error: identity,
  warn: identity,
  dim: identity,
  bold: identity,
};

function sgr(open: number, close: number): (text: string) => string {
  return (text) => (text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`);
}

/** ANSI colours, applied only around text that was already escaped. */
export const ANSI: Palette = {
  add: sgr(32, 39),
  change: sgr(33, 39),
  remove: sgr(31, 39),
  error: sgr(31, 39),
  warn: sgr(33, 39),
  dim: sgr(2, 22),
  bold: sgr(1, 22),
};
