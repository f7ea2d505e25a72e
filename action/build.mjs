// Bundles the action's entry point into one committed file that runs with no install step.
// The options are fixed so the output is byte-for-byte reproducible; test/action/bundle.test.ts
// rebuilds in memory and compares with the committed file.
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bundlePath = join(repoRoot, 'action', 'index.mjs');

// Modules find files of the repository (schemas/, package.json) relative to their own URL:
// `new URL('../../schemas/x.json', import.meta.url)`, `createRequire(import.meta.url)('../../package.json')`.
// In the bundle, import.meta.url is the bundle's, so each such path is rewritten to be relative
// to the bundle instead. The action runs from a checkout of the repository, where those files are.
const RELATIVE_TO_MODULE = [
  /(new URL\()(['"])(\.\.?\/[^'"]+)\2(,\s*import\.meta\.url\))/g,
  /(createRequire\(import\.meta\.url\)\()(['"])(\.\.?\/[^'"]+)\2(\))/g,
];

/** Rewrites module-relative paths for a bundle written at `outfile`. */
const relativePaths = (outfile) => ({
  name: 'paths-relative-to-bundle',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      for (const pattern of RELATIVE_TO_MODULE) {
        contents = contents.replace(pattern, (_all, head, quote, path, tail) => {
          const target = resolve(dirname(args.path), path);
          const fromBundle = relative(dirname(outfile), target).split('\\').join('/');
          return `${head}${quote}${fromBundle.startsWith('.') ? fromBundle : `./${fromBundle}`}${quote}${tail}`;
        });
      }
      return { contents, loader: 'ts' };
    });
  },
});

/** esbuild options for a bundle that will run from `outfile` (output in memory). */
export const buildOptions = (outfile = bundlePath) => ({
  absWorkingDir: repoRoot,
  entryPoints: ['src/action/main.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  charset: 'utf8',
  legalComments: 'eof',
  logLevel: 'warning',
  write: false,
  outfile: relative(repoRoot, outfile).split('\\').join('/'),
  plugins: [relativePaths(outfile)],
  // The Kafka client's WebAssembly helpers (CRC32C, compression) read native.wasm from beside
  // their own file, which the one-file bundle does not have; the package's `bundled` entry carries
  // the same module inline.
  alias: { '@platformatic/wasm-utils': '@platformatic/wasm-utils/bundled' },
  // Bundled CommonJS dependencies (undici) call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __kafkaformCreateRequire } from 'node:module';\nconst require = __kafkaformCreateRequire(import.meta.url);",
  },
});

/** The bytes of a bundle that will run from `outfile` (the committed file by default). */
export async function bundle(outfile = bundlePath) {
  const result = await build(buildOptions(outfile));
  const [file] = result.outputFiles;
  return file.contents;
}

// `node action/build.mjs`: writes the committed bundle.
// `--out FILE`: writes the committed bundle's bytes to FILE instead (to compare them).
// `--place FILE`: writes a bundle that runs from FILE (tests run the current sources this way).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const flag = (name) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? resolve(process.argv[at + 1] ?? '') : undefined;
  };
  const place = flag('--place');
  if (place !== undefined) await writeFile(place, await bundle(place));
  else await writeFile(flag('--out') ?? bundlePath, await bundle());
}
