import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { BIN } from './cli';

/** Where the UI tests save their screenshots, for a person to look at; `npm test` prints it at the end. */
export const SCREENSHOTS = resolve(__dirname, '..', '..', 'build', 'ui-screenshots');

/** Debian's Chromium (`.ci/run` installs it), or the one FUNES_CHROMIUM names. */
function chromiumPath(): string {
  const named = process.env.FUNES_CHROMIUM;
  if (named) return named;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(candidate)) return candidate;
  const found = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  throw new Error("the UI tests drive a real Chromium and none is installed: apt-get install chromium (.ci/run does), or set FUNES_CHROMIUM to a Chromium or Chrome binary");
}

/** A headless Chromium for this test file, closed after it. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is not started (use it inside a test)');
    return browser;
  };
}

/** `funes ui` running as a child process, as a user starts it. */
export interface UiProcess {
  readonly url: string;
  /** What it printed on stdout up to its URL. */
  readonly printed: string;
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `funes ui <args> --port 0` and waits for the URL it prints. */
export function startUi(args: string[], env: Record<string, string | undefined> = {}): Promise<UiProcess> {
  const child = spawn(process.execPath, [BIN, 'ui', ...args, '--port', '0'], { env: { ...process.env, FUNES_CACHE_DIR: undefined, ...env } });
  let out = '';
  let err = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`funes ui printed no URL in 20 s:\n${out}\n${err}`)), 20_000);
    child.stderr!.on('data', (d) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`funes ui exited ${code}:\n${out}\n${err}`)));
    child.stdout!.on('data', (d) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolvePromise({
        url: m[1]!,
        printed: out,
        port: Number(m[2]),
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGINT');
          }),
      });
    });
  });
}
