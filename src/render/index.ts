/**
 * Renderers: every one reads the same `Plan` value, so text, markdown and JSON never disagree.
 * Anything that came from a server or a manifest is escaped before it is printed.
 */
export { renderText, type TextOptions } from './text.js';
export { mdText, renderMarkdown } from './markdown.js';
export { renderJson } from './json.js';
export { renderSarif, renderValidationJson, VALIDATION_FORMAT_VERSION, type ValidatedCluster } from './problems.js';
export { safe } from './escape.js';
