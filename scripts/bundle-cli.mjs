// Bundles the CLI into dist/bundle/ (run by `npm run build`, scripts/build.mjs): main.js, which bin/kafkaform.js
// runs, and chunks each command imports when it runs (esbuild code splitting). A run then loads
// a few files instead of ~100 modules and as many resolutions, which were most of the start-up
// time: `--version` costs about what `node -e 0` does. Module-relative paths (schemas/,
// package.json) are rewritten as in the Action's bundle; the chunks sit next to main.js, so one
// rewrite is right for all of them.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join, sep } from 'node:path';
import { buildOptions, repoRoot } from '../action/build.mjs';

const KAFKA_DIST = `${sep}node_modules${sep}@platformatic${sep}kafka${sep}dist${sep}`;

/**
 * `@platformatic/kafka`'s index loads every client, and the clients compile their option schemas
 * as they load: ~0.8 s of CPU before a kafka cluster's first request. The protocol-level parts
 * the kafka target imports statically (connections and request APIs) are bundled instead, the
 * package's modules marked side-effect free so only those are kept (~0.05 s to load). The one
 * dynamic import of the package (the admin client, for replication-factor changes) stays external
 * and loads the whole package from node_modules. Nothing that reads the package's WebAssembly file
 * (compression, CRC32C, used only for records) may end up in the bundle: it would look for the file
 * next to the bundle, so the build fails if it does.
 */
const kafkaProtocolSlice = {
  name: 'kafka-protocol-slice',
  setup(b) {
    b.onResolve({ filter: /^@platformatic\/kafka$/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.kafkaSlice === true) return undefined;
      const inKafka = args.path === '@platformatic/kafka' || args.importer.includes(KAFKA_DIST);
      if (!inKafka) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { kafkaSlice: true } });
      if (resolved.errors.length > 0 || resolved.external) return resolved;
      return { ...resolved, sideEffects: !resolved.path.includes(KAFKA_DIST) ? resolved.sideEffects : false };
    });
  },
};

const outdir = join(repoRoot, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
const { outfile: _single, ...options } = buildOptions(join(outdir, 'main.js'));
const result = await build({
  ...options,
  plugins: [...options.plugins, kafkaProtocolSlice],
  metafile: true,
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/bundle',
  splitting: true,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  // The MSK IAM signer (with the AWS SDK behind it) is large, loaded only when a token is signed,
  // and resolved from node_modules like any dependency: it need not be in the bundle.
  external: ['aws-msk-iam-sasl-signer-js'],
  write: true,
});
const wasm = Object.values(result.metafile.outputs).flatMap((o) => Object.keys(o.inputs)).filter((i) => i.includes('wasm-utils'));
if (wasm.length > 0) throw new Error(`the CLI bundle includes ${wasm.join(', ')}, which reads a file next to its own module; keep it out (see kafkaProtocolSlice)`);
