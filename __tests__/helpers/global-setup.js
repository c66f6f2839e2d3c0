// Child-process tests run the built package, so build it once before any test.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = () => {
  // For several jest runs at once against one tree: build once beforehand, then skip.
  if (process.env.FUNES_SKIP_BUILD === '1') return;
  const root = join(__dirname, '..', '..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  // `funes ui` from the build serves its page and charting library from beside it.
  execFileSync(process.execPath, [join(root, 'scripts', 'ui-assets.js')], { cwd: root, stdio: 'inherit' });
};
