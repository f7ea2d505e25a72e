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
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

const { outfile: _outfile, banner: _banner, plugins, ...options } = buildOptions(BUNDLE);
await build({
  ...options,
  entryPoints: ['src/cli/main.ts'],
  outfile: BUNDLE,
  format: 'cjs',
  plugins: [lazyYaml, libraryFiles, commanderChildProcess, ...plugins],
  // Escaped: a file of ASCII is read into a one-byte string, with the fast decoder.
  charset: 'ascii',
  // bin/load-cli.js passes the bundle's URL.
  define: { 'import.meta.url': '__kafkaformUrl' },
  // The Kafka protocol client and the MSK IAM signer (with the AWS SDK behind it) are large, loaded
  // only when a kafka cluster is opened or a token signed, and resolved from node_modules like any
  // dependency: they need not be in the bundle.
  external: ['@platformatic/kafka', 'aws-msk-iam-sasl-signer-js'],
  // import() becomes require(), of those too: a script compiled by node:vm has no import() of
  // its own on Node 20 (only an experimental one, which warns).
  supported: { 'dynamic-import': false },
  write: true,
});

for (const [pkg, file] of Object.entries(LIBRARIES)) {
  await build({
    absWorkingDir: repoRoot,
    stdin: { contents: `module.exports = require('${pkg}');`, resolveDir: repoRoot, sourcefile: file },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    charset: 'utf8',
    legalComments: 'eof',
    logLevel: 'warning',
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
