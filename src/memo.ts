import 'reflect-metadata';
import { noteVersion, readRecord, writeRecord } from './cache-io';
import { cacheMode, storeFor, type CacheMode } from './config';
import { FunesError, warnOnce } from './errors';
import { dependencyText, digest } from './version/compiled';
import { declarationSite, type Site } from './version/site';
import { functionVersion, methodVersion, type MethodVersion } from './version/version';
import { warnHidden, warnOverride } from './version/warnings';
import { callKey, excludeFromKeyTime, keyParts, type CallKey, type IgnoredPath } from './key/call-key';
import { explainMiss } from './key/explain';
import { readsCallThis } from './key/code';
import { claimName } from './name-clash';
import { snapshotInput } from './input-snapshot';
import { parseDuration } from './limits';
import type { MemoriousOptions } from './options';
import { bindArguments, ignoredPath, type Param } from './params';
import { memorizable } from './memorizable';
import { wrap } from './wrapper';
import { log } from './log';
import { FORMAT, type StoredRecord } from './record';
import { register, registered, type RegisteredMethod } from './registry';
import { splitSeed, withSeedScope, type GlobalSeed } from './seed';
import { CallCounts } from './stats';
import { isThenable, then } from './maybe';
import { onceAsync, onceSync, type Flight } from './single-flight';
import type { MaybePromise, RecordLocation, Store } from './store/types';

/**
 * The metadata key under which a decorated method's parameter names are kept.
 * @example `Reflect.getMetadata(PARAMS_METADATA, Lab.prototype.fit)  // ['params', 'epochs']`
 */
export const PARAMS_METADATA = 'funes:params';

/**
 * One decorated method: the call path of the design (split, bind, key, look up, run,
 * store), shared by both decorator models, which only tell it where the method lives.
 */
export class MemoMethod implements RegisteredMethod {
  readonly wrapper: (this: unknown, ...args: unknown[]) => unknown;
  readonly dependsOn: readonly (Function | string)[];
  readonly version: string | number | undefined;
  readonly key: Function | undefined;
  readonly counts = new CallCounts();
  /** Parameter names: from the compiled code at first, as written once the version has found the source. */
  paramNames: readonly string[];
  private params: readonly Param[];
  /** What `ignore` leaves out of the key: parameters, and properties of destructured ones. */
  private ignored: readonly IgnoredPath[] | undefined;
  readonly maxAge: number | undefined;
  /** Declared async (or down-levelled from it): its callers get a Promise, so they may wait without blocking. */
  readonly async: boolean;
  private readonly locks: boolean;
  /** The prototype (or, for a static method, the class) that declares the method. */
  private home: object | undefined;
  private id: { readonly name: string; readonly version: string } | undefined;
  /** How the version was made, for the version's metadata. */
  private made: MethodVersion | undefined;
  /** Where the decorator was applied: the way to the method's source as written. */
  readonly site: Site | undefined;
  /** The compiled text of what the method reaches from its declaring class, for subclass checks. */
  private homeText: string | undefined;
  /** Per runtime prototype: '' when calls through it mean what the declaring class means. */
  private readonly dispatchKeys = new WeakMap<object, string>();
  private readonly inflight = new Map<string, Promise<unknown>>();
  /** Whether the call's `this` is keyed: a method's always, a plain function's when its code reads it. */
  private readonly keysThis: boolean;
  /** Stores this process has told which version it uses. */
  private readonly noted = new WeakSet<Store>();

  /**
   * `member` is the method's name, or for a plain function (`plain`) the name its records
   * go under.
   */
  constructor(
    readonly original: Function,
    private readonly member: string | symbol,
    private readonly options: MemoriousOptions,
    readonly plain = false,
  ) {
    const parsed = memorizable(original, member);
    const params = parsed.params;
    this.params = params;
    this.paramNames = params.map((p) => p.name);
    // A name the compiled code lacks may be a parameter a compiler renamed: the source decides, at the first call.
    try {
      this.ignored = (options.ignore ?? []).map((name) => ignoredPath(params, name, String(member)));
    } catch (error) {
      const renamed = (name: string): boolean => this.paramNames.some((p) => p !== name && p.replace(/\d+$/, '') === name);
      if (!(options.ignore ?? []).some(renamed)) throw error;
    }
    this.maxAge = options.maxAge === undefined ? undefined : parseDuration(options.maxAge);
    this.async = parsed.async;
    this.locks = options.lock ?? parsed.async;
    if (options.store && !options.store.synchronous && !parsed.async) throw asyncStoreError(String(member));
    this.dependsOn = options.dependsOn ?? [];
    this.site = declarationSite();
    this.version = options.version;
    this.key = options.key;
    const wrapper = wrap(this, plain ? String(member) : original.name, original);
    Reflect.defineMetadata(PARAMS_METADATA, this.paramNames, wrapper);
    Reflect.defineMetadata(PARAMS_METADATA, this.paramNames, original);
    register(wrapper, this);
    this.wrapper = wrapper;
    if (plain) this.home = original;
    this.keysThis = !plain || readsCallThis(original);
  }

  /**
   * The method as a value in another call's key: its name and version. A closure's captured
   * value is in no version, so one whose version cannot see what it reads is refused: two
   * closures of one factory would share a key.
   */
  keyText(): string {
    const { name, version } = this.identity();
    const hidden = this.made!.hidden.map((h) => h.name);
    if (hidden.length > 0) throw new Error(`the memorized ${name} reads ${hidden.join(', ')}, which its version cannot see, so its name and version do not say what it computes`);
    return `memorized ${name} ${version}`;
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

  identity(): { readonly name: string; readonly version: string } {
    if (this.id) return this.id;
    const home = this.home;
    if (!home) {
      throw new FunesError(
        'FUNES_UNBOUND',
        `'${String(this.member)}' does not know its class yet: with stage-3 decorators a method learns it ` +
          'when an instance is constructed or the method is first called; do either first',
      );
    }
    const started = performance.now();
    const owner = (typeof home === 'function' ? home : home.constructor) as Function | undefined;
    const name = this.plain ? String(this.member) : `${owner?.name || 'anonymous'}.${String(this.member)}`;
    const made = this.plain
      ? functionVersion({ method: this, name: String(this.member), site: this.site, lookup: registered, format: FORMAT })
      : methodVersion({
          method: this,
          member: this.member,
          site: this.site,
          home,
          className: owner?.name ?? '',
          lookup: registered,
          format: FORMAT,
        });
    if (made.hidden.length > 0) warnHidden(name, made.hidden);
    this.useWrittenNames(made.params);
    if (log.enabled) log('version %s %s from %s%s', name, made.version, made.origin, made.file ? ` (${made.file})` : '');
    this.made = made;
    this.id = { name, version: made.version };
    claimName(this, name, made.version);
    excludeFromKeyTime(performance.now() - started);
    return this.id;
  }

  /** The key of a call, as it would be made: its bound input and where its record lives. */
  private keyOf(self: unknown, args: unknown[], seed: GlobalSeed | undefined): { name: string; input: Record<string, unknown>; made: CallKey; loc: RecordLocation } {
    const { name, version } = this.identity();
    const input = bindArguments(this.params, args);
    if (seed !== undefined) input.global_seed = seed;
    // A plain function that does not read `this` computes alike through any object (`exports.f(1)`).
    const made = callKey(this.options, name, input, this.ignored!, this.keysThis ? self : undefined, this.dispatchKey(self));
    return { name, input, made, loc: { method: name, version, key: made.key } };
  }

  /**
   * The stored record for a call with `given` on `self`, or undefined, without computing:
   * what `Memorious.peek` answers. A Promise for an asynchronous store.
   */
  peek(self: unknown, given: unknown[]): MaybePromise<StoredRecord | undefined> {
    this.locate(self);
    const { args, seed } = splitSeed(given);
    const { loc } = this.keyOf(self, args, seed);
    return readRecord(this.store(), loc, this.maxAge, true);
  }

  /**
   * The `this` a call made without one would have, when it is known: the class, for a
   * static method; nothing for a plain function or a method whose key leaves `this` out.
   * Undefined when only the caller can say (an instance method keyed by its instance).
   */
  implicitThis(): { readonly self: unknown } | undefined {
    if (this.plain) return this.keysThis && !this.options.ignoreThis && !this.options.key ? undefined : { self: undefined };
    if (typeof this.home === 'function') return { self: this.home };
    if (this.options.ignoreThis || this.options.key) return { self: this.home };
    return undefined;
  }

  /** Takes the parameter names as written, where a compiler renamed them in the code that runs. */
  private useWrittenNames(written: readonly string[] | undefined): void {
    if (written && written.length === this.params.length && written.some((n, i) => n !== this.paramNames[i])) {
      this.params = this.params.map((p, i) => ({ ...p, name: written[i]! }));
      this.paramNames = written;
      Reflect.defineMetadata(PARAMS_METADATA, written, this.wrapper);
      Reflect.defineMetadata(PARAMS_METADATA, written, this.original);
      this.ignored = undefined;
    }
    this.ignored ??= (this.options.ignore ?? []).map((n) => ignoredPath(this.params, n, String(this.member)));
  }

  store(): Store {
    return storeFor(this.options.store, this.options.cacheDir);
  }

  call(self: unknown, given: unknown[]): unknown {
    const { args, seed } = splitSeed(given);
    const mode = this.options.mode ?? cacheMode();
    if (mode === 'off') return this.run(self, args, seed);
    if (!this.locate(self)) {
      warnOnce(
        String(this.member),
        'FUNES_NO_OWNER',
        'called on something that is not an instance of its class, so its class is unknown; the call runs uncached',
      );
      return this.run(self, args, seed);
    }
    const { name, input, made, loc } = this.keyOf(self, args, seed);
    const store = this.store();
    const flight = `${storeId(store)}\u0000${loc.key}`;
    // Identical calls join a pending one; most processes never have any pending.
    const pending = this.inflight.size === 0 ? undefined : this.inflight.get(flight);
    if (pending) return pending;
    if (!store.synchronous && !this.async) throw asyncStoreError(name);
    // Nothing has run since the call began: the input is still as it was given.
    const call = (): Call => ({ self, args, seed, input: this.snapshot(name, input), made, store, loc, flight, mode });
    // A refresh neither reads nor waits for another process's record: it replaces it.
    if (mode === 'refresh') return this.compute(call(), !store.synchronous || this.async);
    const readOnly = mode === 'read-only';
    if (store.synchronous) {
      const hit = readRecord(store, loc, this.maxAge, readOnly) as StoredRecord | undefined;
      return hit ? this.serve(hit, readOnly ? undefined : store) : readOnly ? this.compute(call(), this.async) : this.miss(call());
    }
    const pendingCall = call();
    return this.share(
      flight,
      Promise.resolve(readRecord(store, loc, this.maxAge, readOnly)).then((hit) =>
        hit ? this.serve(hit, readOnly ? undefined : store) : readOnly ? this.compute(pendingCall, false) : this.miss(pendingCall),
      ),
    );
  }

  /** Returns a hit's output; the first hit in a store marks its version as in use, as a write does. */
  private serve(hit: StoredRecord, store: Store | undefined): unknown {
    this.counts.hit(hit.time);
    if (log.enabled) log('hit %s %s (saved %ss)', hit.method, hit.key, hit.time.toFixed(3));
    if (store && !this.noted.has(store)) void this.noteUse(store, hit.version);
    return hit.async ? Promise.resolve(hit.output) : hit.output;
  }

  /** The input as the record will keep it, taken before anything can change it. */
  private snapshot(name: string, input: Record<string, unknown>): Record<string, unknown> {
    return snapshotInput(input, (param, placeholder) =>
      warnOnce(
        name,
        'FUNES_UNSERIALIZABLE_INPUT',
        `argument '${param}' cannot be stored in the record (v8.serialize refuses it); the record keeps ${placeholder} in its place, and the output is stored as usual`,
      ),
    );
  }

  private miss(call: Call): unknown {
    if (log.enabled) explainMiss(call.store, call.loc, call.made);
    if (!this.locks || !call.store.tryLock) return this.compute(call, call.store.synchronous);
    const flight: Flight = {
      store: call.store,
      loc: call.loc,
      look: () => readRecord(call.store, call.loc, this.maxAge),
      serve: (hit) => this.serve(hit, call.store),
      compute: () => this.compute(call, call.store.synchronous && !this.async),
    };
    if (call.store.synchronous && !this.async) return onceSync(flight);
    const once = onceAsync(flight);
    return call.store.synchronous ? this.share(call.flight, once) : once;
  }

  /** Runs the method and stores its result; a Promise result is stored once it settles. */
  private compute(call: Call, share: boolean): unknown {
    this.counts.miss();
    if (log.enabled) log('miss %s %s', call.loc.method, call.loc.key);
    const start = performance.now();
    const result = this.run(call.self, call.args, call.seed);
    if (call.mode === 'read-only') return result;
    if (!isThenable(result)) {
      const saved = this.save(call, result, start, false);
      // A sync method stays sync only with a synchronous store.
      return saved instanceof Promise ? saved.then(() => result) : result;
    }
    const stored = Promise.resolve(result).then(async (output) => {
      await this.save(call, output, start, true);
      return output;
    });
    return share ? this.share(call.flight, stored) : stored;
  }

  /** Lets identical calls in this process join one computation until it settles. */
  private share(flight: string, promise: Promise<unknown>): Promise<unknown> {
    const shared = promise.finally(() => {
      if (this.inflight.get(flight) === shared) this.inflight.delete(flight);
    });
    this.inflight.set(flight, shared);
    return shared;
  }

  private run(self: unknown, args: unknown[], seed: GlobalSeed | undefined): unknown {
    return seed === undefined ? this.original.apply(self, args) : withSeedScope(seed, () => this.original.apply(self, args));
  }

  /**
   * A subclass that overrides a method this one calls through `this` computes something
   * else: the key says so. Subclasses that change nothing the method reaches share results.
   */
  private dispatchKey(self: unknown): string {
    if (this.plain) return '';
    const home = this.home!;
    const runtime = typeof home === 'function' ? self : typeof self === 'object' && self !== null ? Object.getPrototypeOf(self) : null;
    if (runtime === home || (typeof runtime !== 'object' && typeof runtime !== 'function') || runtime === null) return '';
    let key = this.dispatchKeys.get(runtime);
    if (key === undefined) {
      this.homeText ??= dependencyText(this, home, home, registered);
      const text = dependencyText(this, runtime, home, registered);
      key = text === this.homeText ? '' : digest(text);
      this.dispatchKeys.set(runtime, key);
      if (key !== '') warnOverride(this.identity().name, runtime);
    }
    return key;
  }

  private save(call: Call, output: unknown, start: number, async: boolean): MaybePromise<void> {
    const { store, loc } = call;
    const record: StoredRecord = {
      input: call.input,
      output,
      time: (performance.now() - start) / 1000,
      format: FORMAT,
      method: loc.method,
      version: loc.version,
      key: loc.key,
      async,
      created: Date.now(),
      parts: keyParts(call.made),
    };
    return then(writeRecord(store, loc, record, this.maxAge, call.mode === 'refresh'), (stored) => {
      if (stored && !this.noted.has(store)) return this.noteUse(store, loc.version);
    });
  }

  /**
   * Tells a store, once per process, that this version is the one in use, with what made it:
   * a run that only hits uses its version as much as one that writes, and `funes clear
   * --stale` must keep it.
   */
  private noteUse(store: Store, version: string): MaybePromise<void> {
    this.noted.add(store);
    const made = this.made!;
    return noteVersion(store, {
      format: FORMAT,
      method: this.identity().name,
      version,
      source: made.source,
      origin: made.origin,
      ...(made.file === undefined ? {} : { file: made.file }),
      dependencies: made.dependencies,
      params: this.paramNames,
      created: Date.now(),
    });
  }
}

/** One call on its way through the miss path. */
interface Call {
  readonly self: unknown;
  readonly args: unknown[];
  readonly seed: GlobalSeed | undefined;
  /** The input as the call began, as the record keeps it. */
  readonly input: Record<string, unknown>;
  readonly made: CallKey;
  readonly store: Store;
  readonly loc: RecordLocation;
  /** Identifies identical calls in this process. */
  readonly flight: string;
  /** Read-only stores nothing; refresh replaces what is stored. */
  readonly mode: CacheMode;
}

/** The error for a sync method whose store can only answer later. */
function asyncStoreError(method: string): FunesError {
  return new FunesError(
    'FUNES_ASYNC_STORE',
    `'${method}' is a sync method, but its store is asynchronous (it answers with Promises, as Redis does); ` +
      'make the method async, or give it a synchronous store (files, MemoryStore)',
  );
}

const storeIds = new WeakMap<Store, number>();
let nextStoreId = 0;

/** Identical calls share a computation only within one store. */
function storeId(store: Store): number {
  let id = storeIds.get(store);
  if (id === undefined) storeIds.set(store, (id = nextStoreId++));
  return id;
}
