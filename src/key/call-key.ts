import { slowKeyMs } from '../config';
import { FunesError, warnOnce } from '../errors';
import type { MemoriousOptions } from '../options';
import { FUNCTION_WAYS_OUT, KeyRefusal, WAYS_OUT } from './refusal';
import { KeyWriter } from './writer';
import { textDigest } from './binary';

let excludedMs = 0;

/**
 * Counts time spent inside a key on one-time work that is not the key's own: the version of
 * a memorized function held in an argument, made at its first use. It is not slowness a
 * caller can fix, so `FUNES_SLOW_KEY` leaves it out.
 */
export function excludeFromKeyTime(ms: number): void {
  excludedMs += ms;
}

/** A parameter, or a property of a destructured parameter (`['$2', 'kw2']`), left out of the key. */
export type IgnoredPath = readonly [string] | readonly [string, string];

/** One call's key, and the parts it was made of, for the record and for explaining misses. */
export interface CallKey {
  /** The argument hash: 64 hex digits. */
  readonly key: string;
  /** The canonical text of each argument and each field of `this` (or `this[keyOf]()`), by path. */
  readonly parts: readonly (readonly { readonly path: string; readonly text: string }[])[];
}

/**
 * The argument hash of one call under a method's options: the input (less `ignore`d
 * parameters and properties) and the instance's state, or whatever a `key` option makes
 * of them, and (for a subclass that changes what the method reaches) which code runs.
 *
 * @throws FunesError `FUNES_UNHASHABLE` naming the path of a value no key can capture.
 */
export function callKey(
  options: MemoriousOptions,
  name: string,
  input: Record<string, unknown>,
  ignored: readonly IgnoredPath[],
  self: unknown,
  dispatch: string,
): CallKey {
  const start = performance.now();
  const excludedBefore = excludedMs;
  let text: string;
  // The key option's own errors are the caller's, and reach it as they are.
  const material = options.key ? options.key(input, self) : undefined;
  const writer = takeWriter(options.key ? 'key()' : 'args');
  try {
    if (options.key) {
      text = `K${writer.write(material)}`;
    } else {
      text = `I${writer.input(ignored.length > 0 ? without(input, ignored) : input)}`;
      if (!options.ignoreThis) {
        writer.root('this');
        text += writer.state(self);
      }
    }
  } catch (error) {
    idle(writer);
    throw unhashable(name, error);
  }
  const key = textDigest(text + dispatch);
  const fn = writer.firstFunction;
  if (fn !== undefined) {
    warnOnce(
      name,
      'FUNES_FUNCTION_IN_KEY',
      `${fn} is a function, keyed by its source: it reads nothing but its parameters, its own this and the globals, ` +
        'so the same source does the same; if it depends on anything else, pass that as data',
    );
  }
  // A small key with no [keyOf]() in it is never reported slow (see SLOW_KEY_MIN_BYTES): it reads no clock again.
  if (writer.keyOfMs > 0 || hashedBytes(text, writer) >= SLOW_KEY_MIN_BYTES) {
    const excluded = excludedMs - excludedBefore;
    const took = performance.now() - start - excluded;
    if (took > slowKeyMs()) {
      const keyOfMs = writer.keyOfMs - excluded;
      if (hashedBytes(text, writer) >= SLOW_KEY_MIN_BYTES || keyOfMs > took / 2) warnSlow(name, took, keyOfMs, writer);
    }
  }
  // The writer's own list, given away: a hit never reads it, so nothing is copied for it.
  const made = { key, parts: [writer.tops] };
  idle(writer);
  return made;
}

/**
 * Writers between keys, so that a key reuses the room another's lists grew. A key made
 * while another is being made (a `[keyOf]()` or a getter that calls a memorized function)
 * takes another writer: none is used by two keys at once.
 */
const idleWriters: KeyWriter[] = [];

function takeWriter(root: string): KeyWriter {
  const writer = idleWriters.pop();
  if (writer === undefined) return new KeyWriter(root);
  writer.root(root);
  return writer;
}

/** Gives a writer back once its key is made, or abandoned, emptied so that it keeps no value of that key alive. */
function idle(writer: KeyWriter): void {
  if (idleWriters.length >= 4) return;
  writer.reset('');
  idleWriters.push(writer);
}

/**
 * What the record keeps of a key's parts, to explain later misses: one short hash of all
 * the arguments together (`args`), and one per field of `this` (`this.data`). One hash
 * for the arguments keeps a small miss cheap; a miss is explained by the fields that differ.
 */
export function keyParts(made: CallKey): Record<string, string> {
  const parts: Record<string, string> = {};
  let args = '';
  for (const { path, text } of made.parts.flat()) {
    if (path.startsWith('this')) parts[path] = shortHash(text);
    else args += `${path.length}:${path}${text}`;
  }
  parts.args = shortHash(args);
  return parts;
}

function shortHash(text: string): string {
  return textDigest(text).slice(0, 16);
}

/**
 * A key this small cannot be slow because of its data: a first call's one-time work, or a
 * loaded machine, took the time, unless `[keyOf]()` methods did. Warning then would only
 * blame the wrong thing.
 */
const SLOW_KEY_MIN_BYTES = 64 * 1024;

function hashedBytes(text: string, writer: KeyWriter): number {
  return text.length * 2 + writer.binary;
}

function warnSlow(name: string, ms: number, keyOfMs: number, writer: KeyWriter): void {
  const largest = [...writer.tops].sort((a, b) => b.bytes - a.bytes)[0];
  const part =
    keyOfMs > ms / 2
      ? `; ${keyOfMs.toFixed(1)} ms of it in [keyOf]() methods, which should return an identity cheaply`
      : largest
        ? `; the largest part is ${largest.path} (${formatBytes(largest.bytes)} hashed)`
        : '';
  warnOnce(
    name,
    'FUNES_SLOW_KEY',
    `making the key of a call took ${ms.toFixed(1)} ms, over the ${slowKeyMs()} ms threshold${part}. ` +
      'Every call pays this, hits included: give a large value\'s class a [keyOf]() that returns its identity ' +
      "(import { keyOf } from 'funes'), leave it out with ignore or ignoreThis, or say what the key is made of with key; " +
      'Memorious.configure({ slowKey }) sets the threshold',
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MB`;
  if (bytes >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(1)} kB`;
  return `${bytes} bytes`;
}

function without(input: Record<string, unknown>, ignored: readonly IgnoredPath[]): Record<string, unknown> {
  const kept: Record<string, unknown> = { ...input };
  for (const [param, property] of ignored) {
    if (property === undefined) {
      delete kept[param];
    } else if (typeof kept[param] === 'object' && kept[param] !== null) {
      // The plain object `bindArguments` bound to the destructured parameter.
      const inner: Record<string, unknown> = { ...(kept[param] as Record<string, unknown>) };
      delete inner[property];
      kept[param] = inner;
    }
  }
  return kept;
}

/** The error for a value no key can capture, naming where it is and the ways out. */
function unhashable(name: string, error: unknown): FunesError {
  if (error instanceof KeyRefusal) {
    const ways = error.why.startsWith('is a function') ? FUNCTION_WAYS_OUT : WAYS_OUT;
    return new FunesError('FUNES_UNHASHABLE', `${name}: ${error.path} ${error.why}. To key this call, ${ways}`, { cause: error });
  }
  const why =
    error instanceof RangeError
      ? `it is too large or too deep to write (${error.message}); give large values a [keyOf]() that returns their identity`
      : error instanceof Error
        ? error.message
        : String(error);
  return new FunesError('FUNES_UNHASHABLE', `${name}: the input cannot be made into a key (${why}). To key this call, ${WAYS_OUT}`, {
    cause: error,
  });
}
