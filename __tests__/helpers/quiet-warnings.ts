/**
 * funes warnings during tests: a test that expects one spies on `process.emitWarning` and
 * asserts it. Every other FunesWarning is kept here instead of printed, so `npm test`
 * prints test results, and fails its file unless the file says it expects that code with
 * `expectWarnings(...)`: a warning nobody expected is a finding, not noise.
 */

// On the global object: jest loads this file once as a setup file and again for each test
// file that imports it, and both copies must see the same expectations.
const shared = globalThis as { __funesExpectedWarnings?: Set<string> };
const expected = (shared.__funesExpectedWarnings ??= new Set<string>());

type Quiet = typeof process.emitWarning & { funesQuiet?: true };

// Only the setup file's copy captures; a test file's import only declares.
if (!(process.emitWarning as Quiet).funesQuiet) capture();

function capture(): void {
  const seen: { readonly code: string; readonly message: string }[] = [];
  const original = process.emitWarning;
  const quiet = ((warning: string | Error, ...rest: unknown[]): void => {
    const options = rest[0];
    const type = typeof options === 'string' ? options : (options as { type?: string } | undefined)?.type;
    if (type !== 'FunesWarning') return void (original as (...args: unknown[]) => void).call(process, warning, ...rest);
    const code = typeof options === 'object' ? String((options as { code?: unknown }).code) : String(rest[1]);
    seen.push({ code, message: String(warning) });
  }) as Quiet;
  quiet.funesQuiet = true;
  process.emitWarning = quiet;
  afterAll(() => {
    process.emitWarning = original;
    const unexpected = seen.filter((w) => !expected.has(w.code));
    if (unexpected.length > 0) {
      throw new Error(`funes warnings this file does not expect:\n${unexpected.map((w) => `  [${w.code}] ${w.message}`).join('\n')}`);
    }
  });
}

/** Declares warning codes this test file's code emits on purpose (a fault it provokes, a construct it tries). */
export function expectWarnings(...codes: string[]): void {
  for (const code of codes) expected.add(code);
}
