import { createRequire } from 'node:module';

// package.json sits two levels up from both src/http and dist/http.
const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };

/** kafkaform's version, from package.json. */
export const VERSION: string = pkg.version;

/** The User-Agent every request carries. */
export const USER_AGENT = `kafkaform/${VERSION}`;
