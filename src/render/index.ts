export { renderText, type TextOptions } from './text.js';
export { renderMarkdown } from './markdown.js';
export { renderJson } from './json.js';
export { safe } from './escape.js';
export { describeResource } from './layout.js';
