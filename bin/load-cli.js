// Loads the CLI bundle (dist/bundle/main.cjs, built by `npm run build`: scripts/bundle-cli.mjs)
// with V8's code cache, which the build wrote next to it after running a few commands: a run then
// neither parses the bundle nor compiles the functions those commands use, which was most of the
// start-up time. A cache from another Node.js or other V8 flags is rejected by V8, and the bundle
// is then compiled as any script is. Node 20 has no compile cache of its own (22.1 has
// `module.enableCompileCache`), and none for ES modules, hence one CommonJS file compiled here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * V8 flags every run of the CLI has, set when this module loads: before the bundle is compiled,
 * since the code cache is only accepted under the flags it was made with. Loading manifests and
 * reading a cluster keep nearly everything they allocate, so each young-generation collection
 * copies live data and frees little; letting the young generation grow 8-fold instead of 2-fold
 * when it fills halves those collections (its size limit is unchanged). Node takes this flag only
 * at run time: NODE_OPTIONS refuses it.
 */
export const CLI_V8_FLAGS = ['--semi-space-growth-factor=8'];
for (const flag of CLI_V8_FLAGS) v8.setFlagsFromString(flag);

const BUNDLE_URL = new URL('../dist/bundle/main.cjs', import.meta.url);
/** The bundle. */
export const BUNDLE = fileURLToPath(BUNDLE_URL);
/** Its code cache. */
export const CODE_CACHE = join(dirname(BUNDLE), 'main.cache');

/**
 * Compiles and runs the bundle as CommonJS, with `cachedData` when given, else the code cache when
 * there is one. Returns its exports and the compiled script (`script.createCachedData()` is the
 * code cache, including every function compiled since).
 */
export function loadCli(cachedData = readCodeCache()) {
  // The wrapper Node gives CommonJS modules, and the bundle's URL (its `import.meta.url`); the
  // cache is only valid for exactly this text.
  const source = `(function (exports, require, module, __filename, __dirname, __kafkaformUrl) {${readFileSync(BUNDLE, 'utf8')}\n})`;
  const script = new vm.Script(source, {
    filename: BUNDLE,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, dirname(BUNDLE), BUNDLE_URL.href);
  return { cli: module.exports, script };
}

function readCodeCache() {
  try {
    return readFileSync(CODE_CACHE);
  } catch {
    return undefined;
  }
}
