// SPDX-License-Identifier: Apache-2.0
// Bundles the dashboard with esbuild into one folder that `ptwin serve` serves under
// /dashboard/: index.html, main.js and main.css (uPlot's stylesheet and ours), with source maps.
//   node build.mjs --outdir <dir>
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const at = process.argv.indexOf('--outdir');
if (at < 0 || !process.argv[at + 1]) {
  console.error('usage: node build.mjs --outdir <dir>');
  process.exit(2);
}
const outdir = path.resolve(process.argv[at + 1]);
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: [path.join(here, 'src/main.js')],
  bundle: true,
  outdir,
  format: 'esm',
  target: ['es2020'],
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
await copyFile(path.join(here, 'src/index.html'), path.join(outdir, 'index.html'));
console.log(`build_dashboard: assets in ${outdir}`);
