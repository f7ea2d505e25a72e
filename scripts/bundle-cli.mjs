// Bundles the CLI into dist/bundle/ (run by `npm run build`, scripts/build.mjs): main.js, which bin/kafkaform.js
// runs, and chunks each command imports when it runs (esbuild code splitting). A run then loads
// a few files instead of ~100 modules and as many resolutions, which were most of the start-up
// time: `--version` costs about what `node -e 0` does. Module-relative paths (schemas/,
// package.json) are rewritten as in the Action's bundle; the chunks sit next to main.js, so one
// rewrite is right for all of them.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildOptions, repoRoot } from '../action/build.mjs';

const outdir = join(repoRoot, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
const { outfile: _single, plugins, ...options } = buildOptions(join(outdir, 'main.js'));

/**
 * The `yaml` library goes into a file of its own, `yaml.cjs`, which `src/manifest/yaml-library.ts`
 * is replaced by a loader of: a plain manifest never needs the library, and a start-up that does
 * not load its ~250 KB is ~15 ms faster. A CommonJS file is `require`d synchronously on any Node,
 * so the callers stay synchronous (a message asks for a line and column wherever it is made).
 */
const YAML_FILE = 'yaml.cjs';
const lazyYaml = {
  name: 'yaml-on-first-use',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]manifest[\\/]yaml-library\.ts$/ }, () => ({
      contents: [
        "import { createRequire } from 'node:module';",
        'let library;',
        `export function yamlLibrary() { return (library ??= createRequire(import.meta.url)('./${YAML_FILE}')); }`,
      ].join('\n'),
      loader: 'js',
    }));
  },
};

await build({
  ...options,
  plugins: [lazyYaml, ...plugins],
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/bundle',
  splitting: true,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  // The Kafka protocol client and the MSK IAM signer (with the AWS SDK behind it) are large, loaded
  // only when a kafka cluster is opened or a token signed, and resolved from node_modules like any
  // dependency: they need not be in the bundle.
  external: ['@platformatic/kafka', 'aws-msk-iam-sasl-signer-js'],
  write: true,
});

await build({
  absWorkingDir: repoRoot,
  stdin: { contents: "module.exports = require('yaml');", resolveDir: repoRoot, sourcefile: 'yaml-library.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  charset: 'utf8',
  legalComments: 'eof',
  logLevel: 'warning',
  outfile: join('dist', 'bundle', YAML_FILE),
  write: true,
});
