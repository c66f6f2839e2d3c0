// Bundles the declarations into one file, dist/index.d.ts, holding the public API and
// nothing else: tsc writes one declaration file per module, internals included.
import { dts } from 'rollup-plugin-dts';

export default {
  input: 'build/types/index.d.ts',
  output: { file: 'dist/index.d.ts', format: 'es' },
  plugins: [dts()],
};
