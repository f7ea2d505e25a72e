// Bundles the CLI into dist/bundle/ (run by `npm run build`, scripts/build.mjs):
//
//   main.cjs    the CLI as one CommonJS file, which bin/kafkaform.js runs (through bin/load-cli.js)
//   main.cache  V8's code cache for it, written after running a few commands (see TRAINING)
//   yaml.cjs    the `yaml` library, loaded on first use (src/manifest/yaml-library.ts)
//   undici.cjs  the HTTP client library, loaded when a REST cluster is opened
//
// One file and a code cache because start-up was mostly module loading and compiling: resolving
// ~20 chunks, parsing ~1 MB of JavaScript, then compiling each function on its first call. With
// the cache V8 does none of that for the commands trained, on the Node.js that built it (another
// one rejects the cache and compiles as usual). The commands a run does not use stay cheap: a
// module reached only by `import()` is initialised when imported, as with separate chunks. The
// big libraries that a run needs only sometimes are files of their own, read only then.
//
// Module-relative paths (schemas/, package.json) are rewritten as in the Action's bundle, and
// `import.meta.url` is the bundle's own URL.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { buildOptions, repoRoot } from '../action/build.mjs';
import { BUNDLE, CODE_CACHE, loadCli } from '../bin/load-cli.js';

const outdir = join(repoRoot, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });

/** Libraries bundled into files of their own, required when first used: package → file. */
const LIBRARIES = { yaml: 'yaml.cjs', undici: 'undici.cjs' };

/**
 * `src/manifest/yaml-library.ts` becomes a loader of `yaml.cjs`: a plain manifest never needs the
 * library, and the callers stay synchronous (a message asks for a line and column wherever it is
 * made), which `require` allows.
 */
const lazyYaml = {
  name: 'yaml-on-first-use',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]manifest[\\/]yaml-library\.ts$/ }, () => ({
      contents: `let library;\nexport function yamlLibrary() { return (library ??= require('./${LIBRARIES.yaml}')); }\n`,
      loader: 'js',
    }));
  },
};

/** Imports of those libraries (and of their files) are `require`s of their files. */
const libraryFiles = {
  name: 'library-files',
  setup(b) {
    const files = new Set(Object.values(LIBRARIES).map((file) => `./${file}`));
    b.onResolve({ filter: /^[\w./-]+$/ }, (args) => {
      if (Object.hasOwn(LIBRARIES, args.path)) return { path: `./${LIBRARIES[args.path]}`, external: true };
      return files.has(args.path) ? { path: args.path, external: true } : undefined;
    });
  },
};

/**
 * commander requires `child_process` at start, for executable subcommands, which kafkaform has
 * none of; with it come `net` and `dgram`. It is required on first use instead.
 */
const commanderChildProcess = {
  name: 'commander-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'on-first-use' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'on-first-use' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

const KAFKA_DIST = `${sep}node_modules${sep}@platformatic${sep}kafka${sep}dist${sep}`;
const KAFKA_FILE = 'kafka.cjs';

/** The values (not types) that src/ imports statically from `@platformatic/kafka`. */
function kafkaValueImports() {
  const names = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/^import\s*\{([^}]*)\}\s*from\s*'@platformatic\/kafka';/gm)) {
          for (const name of m[1].split(',').map((n) => n.trim())) if (name !== '' && !name.startsWith('type ')) names.add(name);
        }
      }
    }
  };
  walk(join(repoRoot, 'src'));
  return [...names].sort();
}

/**
 * `@platformatic/kafka`'s index loads every client, and the clients compile their option schemas
 * as they load: ~0.8 s of CPU before a kafka cluster's first request. The values the kafka target
 * imports statically (connections, request APIs, enums) are bundled into `kafka.cjs` instead, with
 * the package's modules marked side-effect free so only what they need is kept (~0.05 s to load),
 * and required when a kafka cluster is opened. The one dynamic import of the package (the admin
 * client, for replication-factor changes) stays external and loads the whole package from
 * node_modules. Nothing that reads the package's WebAssembly file (compression, CRC32C, used only
 * for records) may end up in `kafka.cjs`: it would look for the file next to the bundle, so the
 * build fails if it does.
 */
const kafkaProtocolSlice = {
  name: 'kafka-protocol-slice',
  setup(b) {
    b.onResolve({ filter: /^@platformatic\/kafka$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, external: true } : { path: `./${KAFKA_FILE}`, external: true },
    );
  },
};

/** Marks `@platformatic/kafka`'s own modules side-effect free, for `kafka.cjs`. */
const kafkaSideEffectFree = {
  name: 'kafka-side-effect-free',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.kafkaSlice === true) return undefined;
      if (args.path !== '@platformatic/kafka' && !args.importer.includes(KAFKA_DIST)) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { kafkaSlice: true } });
      if (resolved.errors.length > 0 || resolved.external) return resolved;
      return { ...resolved, sideEffects: resolved.path.includes(KAFKA_DIST) ? false : resolved.sideEffects };
    });
  },
};

/** esbuild options of the CommonJS files beside the bundle (the kafka slice, the libraries). */
const SIDE_FILE = {
  absWorkingDir: repoRoot,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  charset: 'utf8',
  legalComments: 'eof',
  logLevel: 'warning',
};

const kafkaNames = kafkaValueImports();
const kafka = await build({
  ...SIDE_FILE,
  stdin: { contents: `export { ${kafkaNames.join(', ')} } from '@platformatic/kafka';`, resolveDir: repoRoot, sourcefile: KAFKA_FILE, loader: 'js' },
  outfile: join(outdir, KAFKA_FILE),
  plugins: [kafkaSideEffectFree],
  metafile: true,
  write: true,
});
const wasm = Object.values(kafka.metafile.outputs).flatMap((o) => Object.keys(o.inputs)).filter((i) => i.includes('wasm-utils'));
if (wasm.length > 0) throw new Error(`${KAFKA_FILE} includes ${wasm.join(', ')}, which reads a file next to its own module; keep it out`);
const slice = createRequire(import.meta.url)(join(outdir, KAFKA_FILE));
const missing = kafkaNames.filter((name) => slice[name] === undefined);
if (missing.length > 0) throw new Error(`${KAFKA_FILE} lacks ${missing.join(', ')}`);

const { outfile: _outfile, banner: _banner, plugins, ...options } = buildOptions(BUNDLE);
await build({
  ...options,
  entryPoints: ['src/cli/main.ts'],
  outfile: BUNDLE,
  format: 'cjs',
  plugins: [kafkaProtocolSlice, lazyYaml, libraryFiles, commanderChildProcess, ...plugins],
  // Escaped: a file of ASCII is read into a one-byte string, with the fast decoder.
  charset: 'ascii',
  // bin/load-cli.js passes the bundle's URL.
  define: { 'import.meta.url': '__kafkaformUrl' },
  // The MSK IAM signer (with the AWS SDK behind it) is large, loaded only when a token is signed,
  // and resolved from node_modules like any dependency: it need not be in the bundle.
  external: ['aws-msk-iam-sasl-signer-js'],
  // import() becomes require(), of those too: a script compiled by node:vm has no import() of
  // its own on Node 20 (only an experimental one, which warns).
  supported: { 'dynamic-import': false },
  write: true,
});

for (const [pkg, file] of Object.entries(LIBRARIES)) {
  await build({
    ...SIDE_FILE,
    stdin: { contents: `module.exports = require('${pkg}');`, resolveDir: repoRoot, sourcefile: file },
    outfile: join(outdir, file),
    write: true,
  });
}

/**
 * What the code cache is trained on: offline commands whose functions it then holds compiled.
 * Every function compiled goes into the cache, which V8 reads whole at each start: the commands
 * that start most often, not all of them.
 */
const quickstart = join(repoRoot, 'examples', 'quickstart');
const TRAINING = [['--version'], ['--help'], ['plan', quickstart]];
const quiet = { stdout: () => undefined, stderr: () => undefined, env: {}, isTTY: false, prompt: async () => null };
const { cli, script } = loadCli();
for (const argv of TRAINING) {
  const code = await cli.main(argv, quiet);
  if (code !== 0) throw new Error(`training the code cache: kafkaform ${argv.join(' ')} exited ${code}`);
}
writeFileSync(CODE_CACHE, script.createCachedData());
