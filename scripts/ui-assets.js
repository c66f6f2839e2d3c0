// Copies the page's own files and the charting library it draws with (Observable Plot and
// d3, with their licenses) next to the compiled server, so the page works offline.
const { copyFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const out = join(root, 'dist', 'cjs', 'ui', 'assets');
mkdirSync(join(out, 'vendor'), { recursive: true });
for (const file of ['index.html', 'app.js', 'style.css']) copyFileSync(join(root, 'src', 'ui', 'assets', file), join(out, file));
for (const [pkg, file, name] of [
  ['d3', 'dist/d3.min.js', 'd3.min.js'],
  ['d3', 'LICENSE', 'd3.LICENSE'],
  ['@observablehq/plot', 'dist/plot.umd.min.js', 'plot.umd.min.js'],
  ['@observablehq/plot', 'LICENSE', 'plot.LICENSE'],
]) {
  copyFileSync(join(root, 'node_modules', pkg, file), join(out, 'vendor', name));
}
