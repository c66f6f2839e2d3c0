import 'reflect-metadata';
import { cacheRoot, storeAt } from './config';
import { describeError, FunesError, warnOnce } from './errors';
import { argumentKey, hashValue, ownState } from './hashing/arguments';
import { dependencyText, digest, type MemoriousDependency } from './hashing/version';
import type { MemoriousOptions } from './options';
import { bindArguments, readParams, type Param } from './params';
import { decode, encode, FORMAT, invalidity, type StoredRecord } from './record';
import { register, registered, type RegisteredMethod } from './registry';
import { checkSeed, withSeedScope, type GlobalSeed } from './seed';
import type { RecordLocation, Store } from './store/types';

/** The metadata key under which a decorated method's parameter names are kept. */
export const PARAMS_METADATA = 'funes:params';

/**
 * One decorated method: the call path of the design (split, bind, key, look up, run,
 * store), shared by both decorator models, which only tell it where the method lives.
 */
export class MemoMethod implements RegisteredMethod {
  readonly wrapper: (this: unknown, ...args: unknown[]) => unknown;
  readonly dependsOn: readonly Function[];
  readonly version: string | number | undefined;
  private readonly params: readonly Param[];
  /** The prototype (or, for a static method, the class) that declares the method. */
  private home: object | undefined;
  private id: { readonly name: string; readonly version: string; readonly text: string } | undefined;
  /** Per runtime prototype: '' when calls through it mean what the declaring class means. */
  private readonly dispatchKeys = new WeakMap<object, string>();
  private readonly inflight = new Map<string, Promise<unknown>>();

  constructor(
    readonly original: Function,
    private readonly member: string | symbol,
    private readonly options: MemoriousOptions,
  ) {
    const params = readParams(original);
    if (!params) {
      throw new FunesError('FUNES_UNPARSABLE', `@memorious cannot read the parameter list of '${String(member)}'`);
    }
    if (params.some((p) => p.name === 'global_seed')) {
      throw new FunesError(
        'FUNES_BAD_OPTION',
        `'${String(member)}' has a parameter named global_seed, which funes reserves for the seed option; rename it`,
      );
    }
    this.params = params;
    this.dependsOn = options.dependsOn ?? [];
    this.version = options.version;
    const wrapper = wrap(this);
    Object.defineProperty(wrapper, 'name', { value: original.name });
    Reflect.defineMetadata(PARAMS_METADATA, params.map((p) => p.name), wrapper);
    Reflect.defineMetadata(PARAMS_METADATA, params.map((p) => p.name), original);
    register(wrapper, this);
    this.wrapper = wrapper;
  }

  /** Legacy decorators are handed the declaring prototype (or class) itself. */
  declaredOn(home: object): void {
    this.home = home;
  }

  /** Learns the declaring prototype or class from any object that has the wrapper on its chain. */
  locate(from: unknown): object | undefined {
    if (this.home) return this.home;
    for (let o = from; (typeof o === 'object' || typeof o === 'function') && o !== null; o = Object.getPrototypeOf(o)) {
      if (Object.getOwnPropertyDescriptor(o, this.member)?.value === this.wrapper) {
        this.home = o as object;
        break;
      }
    }
    return this.home;
  }

  identity(): { readonly name: string; readonly version: string; readonly text: string } {
    if (this.id) return this.id;
    const home = this.home;
    if (!home) {
      throw new FunesError(
        'FUNES_UNBOUND',
        `'${String(this.member)}' does not know its class yet: with stage-3 decorators a method learns it ` +
          'when an instance is constructed or the method is first called; do either first',
      );
    }
    const owner = (typeof home === 'function' ? home : home.constructor) as Function | undefined;
    const name = `${owner?.name || 'anonymous'}.${String(this.member)}`;
    const text = dependencyText(this, home, home, registered);
    this.id = { name, version: digest(`${FORMAT}\u0004${text}`, 16), text };
    return this.id;
  }

  store(): Store {
    return storeAt(cacheRoot(this.options.cacheDir));
  }

  call(self: unknown, given: unknown[]): unknown {
    let args = given;
    let seed: GlobalSeed | undefined;
    if (isSeedOption(args[args.length - 1])) {
      seed = checkSeed((args[args.length - 1] as { global_seed: unknown }).global_seed);
      args = args.slice(0, -1);
    }
    if (!this.locate(self)) {
      warnOnce(
        String(this.member),
        'FUNES_NO_OWNER',
        'called on something that is not an instance of its class, so its class is unknown; the call runs uncached',
      );
      return this.run(self, args, seed);
    }
    const { name, version } = this.identity();
    const input = bindArguments(this.params, args);
    if (seed !== undefined) input.global_seed = seed;
    const loc: RecordLocation = { method: name, version, key: this.key(name, input, self) };
    const root = cacheRoot(this.options.cacheDir);
    const store = storeAt(root);
    const flight = `${root}\u0000${loc.key}`;
    const pending = this.inflight.get(flight);
    if (pending) return pending;
    const hit = this.lookup(store, loc);
    if (hit) return hit.async ? Promise.resolve(hit.output) : hit.output;

    const start = performance.now();
    const result = this.run(self, args, seed);
    if (!isThenable(result)) {
      this.save(store, loc, input, result, start, false);
      return result;
    }
    const shared = Promise.resolve(result)
      .then((output) => {
        this.save(store, loc, input, output, start, true);
        return output;
      })
      .finally(() => this.inflight.delete(flight));
    this.inflight.set(flight, shared);
    return shared;
  }

  private run(self: unknown, args: unknown[], seed: GlobalSeed | undefined): unknown {
    return seed === undefined ? this.original.apply(self, args) : withSeedScope(seed, () => this.original.apply(self, args));
  }

  private key(name: string, input: Record<string, unknown>, self: unknown): string {
    const state = this.options.ignoreThis ? null : ownState(self);
    const dispatch = this.dispatchKey(self);
    try {
      return argumentKey(input, state, dispatch);
    } catch (error) {
      throw unhashable(name, input, state, error);
    }
  }

  /**
   * A subclass that overrides a method this one calls through `this` computes something
   * else: the key says so. Subclasses that change nothing the method reaches share results.
   */
  private dispatchKey(self: unknown): string {
    const home = this.home!;
    const runtime = typeof home === 'function' ? self : (typeof self === 'object' && self !== null ? Object.getPrototypeOf(self) : null);
    if (runtime === home || (typeof runtime !== 'object' && typeof runtime !== 'function') || runtime === null) return '';
    let key = this.dispatchKeys.get(runtime);
    if (key === undefined) {
      const text = dependencyText(this, runtime, home, registered);
      key = text === this.identity().text ? '' : digest(text);
      this.dispatchKeys.set(runtime, key);
    }
    return key;
  }

  private lookup(store: Store, loc: RecordLocation): StoredRecord | undefined {
    let bytes: Uint8Array | undefined;
    try {
      bytes = store.read(loc);
    } catch (error) {
      warnOnce(loc.method, 'FUNES_READ_FAILED', `cannot read ${where(store, loc)} (${describeError(error)}); computing instead`);
      return undefined;
    }
    if (!bytes) return undefined;
    let why: string | undefined;
    let value: unknown;
    try {
      value = decode(bytes);
      why = invalidity(value, loc.version, loc.key);
    } catch (error) {
      why = `it does not deserialize (${describeError(error)})`;
    }
    if (!why) return value as StoredRecord;
    warnOnce(loc.method, 'FUNES_INVALID_RECORD', `${where(store, loc)} is not a usable record: ${why}; recomputing it`);
    try {
      store.delete(loc);
    } catch {
      // The write that follows the computation replaces it anyway.
    }
    return undefined;
  }

  private save(store: Store, loc: RecordLocation, input: Record<string, unknown>, output: unknown, start: number, async: boolean): void {
    const record: StoredRecord = {
      input,
      output,
      time: (performance.now() - start) / 1000,
      format: FORMAT,
      method: loc.method,
      version: loc.version,
      key: loc.key,
      async,
      created: Date.now(),
    };
    let bytes: Uint8Array;
    try {
      bytes = encode(record);
    } catch (error) {
      warnOnce(
        loc.method,
        'FUNES_UNSERIALIZABLE',
        `the result cannot be stored, v8.serialize refused it (${describeError(error)}); ` +
          'it was returned but will be computed again on every call',
      );
      return;
    }
    try {
      store.write(loc, bytes);
    } catch (error) {
      warnOnce(
        loc.method,
        'FUNES_WRITE_FAILED',
        `cannot write ${where(store, loc)} (${describeError(error)}); the result was returned but not stored`,
      );
    }
  }
}

/** The function that stands in for the method; it keeps the caller's `this`. */
function wrap(method: MemoMethod): (this: unknown, ...args: unknown[]) => unknown {
  return function (this: unknown, ...args: unknown[]): unknown {
    return method.call(this, args);
  };
}

function where(store: Store, loc: RecordLocation): string {
  return store.describe(loc.method, loc.version, loc.key);
}

/** `{ global_seed }` and nothing else, as a plain object: the seed option, not an argument. */
function isSeedOption(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Reflect.ownKeys(value);
  return keys.length === 1 && keys[0] === 'global_seed';
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value instanceof Promise ||
    ((typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function')
  );
}

/** Names the argument (or instance property) that object-hash cannot hash. */
function unhashable(name: string, input: Record<string, unknown>, state: unknown, error: unknown): FunesError {
  const culprit = (entries: [string, unknown][]): string | undefined =>
    entries.find(([, v]) => {
      try {
        hashValue(v);
        return false;
      } catch {
        return true;
      }
    })?.[0];
  const arg = culprit(Object.entries(input));
  const prop = arg === undefined && state && typeof state === 'object' ? culprit(Object.entries(state)) : undefined;
  const what =
    arg !== undefined
      ? `argument '${arg}'`
      : prop !== undefined
        ? `instance property 'this.${prop}' (pass ignoreThis: true if results do not depend on it)`
        : 'the input';
  return new FunesError(
    'FUNES_UNHASHABLE',
    `${name}: ${what} cannot be hashed into a cache key (${describeError(error)}); pass plain data instead`,
    { cause: error },
  );
}

export type { MemoriousDependency };
