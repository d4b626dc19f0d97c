#!/usr/bin/env node
// Compiles the platform's TypeScript sources to JavaScript in dist/, one .js file (and source map)
// per .ts file in the same layout, for `npm start`; tests and `npm run dev` run the sources.
// why: running the sources through tsx keeps a loader thread and a compiler in every process
// (about 60 MB resident); plain JavaScript starts faster and leaves that memory free. One file per
// source keeps stack traces and CPU profiles pointing at the module that ran.
import { readdir, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDirectory = dirname(fileURLToPath(import.meta.url));
const sourceDirectory = join(packageDirectory, 'src');
const outputDirectory = join(packageDirectory, 'dist');
const started = performance.now();

const testOnlyFile = /\.(test|contract|fixture|d)\.ts$/;
const testOnlyFolders = new Set(['__fixtures__', 'contract']);

/** Every runtime source: tests, contract suites and their fixtures stay out. */
async function runtimeSources() {
  const entries = await readdir(sourceDirectory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !testOnlyFile.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter(
      (path) =>
        !relative(sourceDirectory, path)
          .split(/[\\/]/)
          .some((part) => testOnlyFolders.has(part)),
    );
}

/**
 * Each source is compiled alone: its relative imports stay imports, with `.ts` turned into `.js`
 * (the sources import each other by their .ts names), and packages stay imports of node_modules.
 */
const keepRelativeImports = {
  name: 'keep-relative-imports',
  setup(compiler) {
    compiler.onResolve({ filter: /^\.\.?\// }, (resolving) => {
      if (resolving.kind === 'entry-point') return undefined;
      return { path: resolving.path.replace(/\.ts$/, '.js'), external: true };
    });
  },
};

const sources = await runtimeSources();
await rm(outputDirectory, { recursive: true, force: true });
try {
  await build({
    entryPoints: sources,
    outdir: outputDirectory,
    outbase: sourceDirectory,
    bundle: true,
    packages: 'external',
    plugins: [keepRelativeImports],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
} catch {
  // esbuild has printed what failed, with file and line.
  process.exit(1);
}

if (!process.argv.includes('--quiet')) {
  const milliseconds = Math.round(performance.now() - started);
  console.error(`compiled ${sources.length} files to ${outputDirectory} in ${milliseconds} ms`);
}
