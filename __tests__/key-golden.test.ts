import { keyOf, memorious, Memorious, MemoryStore, withSeed, type RecordLocation, type StoredRecord } from '../src';
import { expectWarnings } from './helpers/quiet-warnings';
// Warnings this file provokes: it keys a function by its source, and passes inputs v8 cannot store, on purpose.
expectWarnings('FUNES_FUNCTION_IN_KEY', 'FUNES_UNSERIALIZABLE_INPUT');

/**
 * The exact keys of calls, pinned: a stored record is found by its key, so a key that
 * changes turns every record a user has into a miss. Any change to how keys are made
 * (a faster writer, a cache of what a prototype is) must leave every digest here as it is.
 * The digests were computed by the writer at commit 515b82f.
 *
 * A class instance's key holds its class's normalised source: the classes below are
 * written without TypeScript-only syntax, so both jest projects compile them alike.
 */

/** A store that remembers the key of every read and the parts of every write, and holds nothing: each call is a miss. */
class KeyCatcher extends MemoryStore {
  readonly keys: string[] = [];
  readonly parts: (Readonly<Record<string, string>> | undefined)[] = [];

  override read(loc: RecordLocation): unknown {
    this.keys.push(loc.key);
    return undefined;
  }

  override write(_loc: RecordLocation, record: StoredRecord): void {
    this.parts.push(record.parts);
  }
}

const store = new KeyCatcher();

/** The key a call made, and the parts its record keeps. */
function made(call: () => unknown): { key: string; parts: Readonly<Record<string, string>> | undefined } {
  const keys = store.keys.length;
  const parts = store.parts.length;
  call();
  expect(store.keys.length).toBe(keys + 1);
  expect(store.parts.length).toBe(parts + 1);
  return { key: store.keys[keys]!, parts: store.parts[parts] };
}

function key(call: () => unknown): string {
  return made(call).key;
}

/** An instance with no fields: its state is empty. */
class Probe {
  @memorious({ store })
  one(value: unknown): number {
    void value;
    return 0;
  }

  @memorious({ store })
  two(a: unknown, b: unknown): number {
    void a;
    void b;
    return 0;
  }

  @memorious({ store, ignore: ['verbose'] })
  quiet(x: unknown, verbose: unknown): number {
    void x;
    void verbose;
    return 0;
  }

  @memorious({ store, ignoreThis: true })
  alone(x: unknown): number {
    void x;
    return 0;
  }

  @memorious({ store, key: (input) => ({ only: input.x }) })
  chosen(x: unknown, y: unknown): number {
    void x;
    void y;
    return 0;
  }

  @memorious({ store })
  static shared(x: unknown): number {
    void x;
    return 0;
  }
}

/** An instance with fields: they are its state. */
class Model {
  weights = [0.5, -0.25];
  name = 'm';
  depth = 3;

  @memorious({ store })
  fit(x: unknown): number {
    void x;
    return 0;
  }
}

/** A static method's `this` is its class, keyed by its static fields. */
class Configured {
  static scale = 3;
  static label = 'c';

  @memorious({ store })
  static run(x: unknown): number {
    void x;
    return 0;
  }
}

class Point {
  x;
  y;
  constructor(x: number, y: number) {
    this.x = x;
    this.y = y;
  }
}

class Empty {}

class Keyed {
  id;
  constructor(id: number) {
    this.id = id;
  }
  [keyOf]() {
    return { id: this.id };
  }
}

class MyMap extends Map<unknown, unknown> {}

const probe = new Probe();

function args(..._values: unknown[]): IArguments {
  // eslint-disable-next-line prefer-rest-params
  return arguments;
}

const sixteen = Array.from({ length: 16 }, (_, i) => i * 1.5);
const numbers = Array.from({ length: 40 }, (_, i) => (i % 7 === 0 ? -0 : i % 11 === 0 ? NaN : i / 3));
const holes: unknown[] = [1, , 3]; // eslint-disable-line no-sparse-arrays
const tagged = Object.assign([1, 2], { extra: 'x' });
const cycle: Record<string, unknown> = { a: 1 };
cycle.self = cycle;
const hidden = Object.defineProperty({ shown: 1 }, 'hidden', { value: 2, enumerable: false });
const bare = Object.assign(Object.create(null) as object, { a: 1, b: [2] });
const inherits = Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 });
const coded = Object.assign(new Error('boom'), { code: 'E_BOOM' });

/** The value of each case, by name: each is keyed as the one argument of `Probe.one`. */
const VALUES: Record<string, () => unknown> = {
  'bench params': () => ({ lr: 0.01, epochs: 10, optimizer: 'adam', layers: [64, 32] }),
  'empty object': () => ({}),
  'two keys': () => ({ b: 1, a: 2 }),
  nested: () => ({ a: { b: { c: [1, { d: 'x' }] } }, e: null, f: [[], {}] }),
  'odd names': () => ({ 'a b': 1, '': 2, '0': 3, '10': 4, $x: 5, ünï: 6 }),
  'symbol keys': () => ({ [Symbol.for('s')]: 1, [Symbol('t')]: 2, plain: 3 }),
  'non-enumerable property': () => hidden,
  'null prototype': () => bare,
  'ordinary prototype': () => inherits,
  cycle: () => cycle,
  'empty array': () => [],
  'short array': () => [1, 'two', 3n, null, undefined, true],
  'array of 15 numbers': () => sixteen.slice(1),
  'array of 16 numbers': () => sixteen,
  'array of 40 numbers with -0 and NaN': () => numbers,
  'array of 16, one a string': () => [...sixteen.slice(1), '16'],
  'array with holes': () => holes,
  'array with a property': () => tagged,
  'nested arrays': () => [[1, [2, [3]]], { x: [4] }],
  'empty string': () => '',
  string: () => 'hello',
  'non-ASCII string': () => 'héllo wörld ✓',
  'lone high surrogate': () => '\uD800',
  'lone low surrogate': () => '\uDC00',
  'surrogate inside': () => 'a\uD800b',
  'surrogate pair': () => '\uD83D\uDE00',
  'replacement character': () => '\uFFFD',
  'string like a tag': () => 's3:abc',
  zero: () => 0,
  'minus zero': () => -0,
  NaN: () => NaN,
  Infinity: () => Infinity,
  '-Infinity': () => -Infinity,
  fraction: () => 0.1 + 0.2,
  'large number': () => 1e21,
  'max safe integer': () => Number.MAX_SAFE_INTEGER,
  'bigint zero': () => 0n,
  'large bigint': () => 12345678901234567890123n,
  'negative bigint': () => -1n,
  undefined: () => undefined,
  null: () => null,
  true: () => true,
  false: () => false,
  'registered symbol': () => Symbol.for('k'),
  'described symbol': () => Symbol('d'),
  'bare symbol': () => Symbol(),
  Map: () =>
    new Map<unknown, unknown>([
      ['a', 1],
      [2, { x: 1 }],
    ]),
  'empty Map': () => new Map(),
  'Map of objects': () => new Map([[{ k: 1 }, new Set([1])]]),
  'Map subclass': () => new MyMap([['a', 1]]),
  'Map with a class prototype': () => Object.setPrototypeOf(new Map([['a', 1]]), Empty.prototype) as object,
  'Map with no prototype': () => Object.setPrototypeOf(new Map([['a', 1]]), null) as object,
  'Map with a property': () => Object.assign(new Map([['a', 1]]), { note: 'n' }),
  Set: () => new Set<unknown>([1, 'a', { b: 2 }]),
  'empty Set': () => new Set(),
  'Set with a plain prototype': () => Object.setPrototypeOf(new Set([1]), Object.prototype) as object,
  Date: () => new Date(1700000000000),
  'Date zero': () => new Date(0),
  'invalid Date': () => new Date(NaN),
  RegExp: () => /a+b/gi,
  'RegExp with lastIndex': () => Object.assign(/x/g, { lastIndex: 2 }),
  Error: () => new Error('plain'),
  'Error with code': () => coded,
  TypeError: () => new TypeError('t'),
  Uint8Array: () => new Uint8Array([1, 2, 3]),
  Float64Array: () => new Float64Array([1.5, -0, NaN]),
  'Int16Array subarray': () => new Int16Array([1, 2, 3, 4]).subarray(1, 3),
  BigInt64Array: () => new BigInt64Array([1n, -1n]),
  'typed array with a property': () => Object.assign(new Uint8Array([1]), { tag: 't' }),
  DataView: () => new DataView(new Uint8Array([9, 8, 7]).buffer, 1),
  ArrayBuffer: () => new Uint8Array([5, 6]).buffer,
  Buffer: () => Buffer.from('abc'),
  'Number object': () => new Number(3),
  'String object': () => new String('ab'),
  'Boolean object': () => new Boolean(false),
  URL: () => new URL('https://example.com/a?b=1'),
  URLSearchParams: () => new URLSearchParams('a=1&b=2'),
  'class instance': () => new Point(1, 2),
  'class instance with -0': () => new Point(-0, 0),
  'nested class instances': () => ({ from: new Point(0, 0), to: [new Point(3, 4)] }),
  'instance with no fields': () => new Empty(),
  'instance with keyOf': () => new Keyed(7),
  'arguments object': () => args(1, 'a'),
  'pure function': () => (x: number) => x * 2,
};

/** Calls other than one argument of `Probe.one`, by name. */
const CALLS: Record<string, () => unknown> = {
  'two arguments': () => probe.two(1, 'a'),
  'two arguments, undefined second': () => probe.two(1, undefined),
  'two arguments, second missing': () => (probe.two as (a: unknown) => number)(1),
  'ignored parameter': () => probe.quiet({ lr: 1 }, true),
  'ignored parameter, other value': () => probe.quiet({ lr: 1 }, false),
  ignoreThis: () => probe.alone([1, 2]),
  'key option': () => probe.chosen(1, 2),
  'static method': () => Probe.shared(5),
  'static method with static fields': () => Configured.run(5),
  'instance with fields': () => new Model().fit({ lr: 0.01 }),
  'instance with changed fields': () => {
    const m = new Model();
    m.depth = 4;
    return m.fit({ lr: 0.01 });
  },
  'global_seed 7': () => (probe.one as (value: unknown, seed: { global_seed: number }) => number)(5, { global_seed: 7 }),
  "global_seed 'seven'": () => (probe.one as (value: unknown, seed: { global_seed: string }) => number)(5, { global_seed: 'seven' }),
  'withSeed 7': () => withSeed(probe, 7).one(5),
  'no global_seed': () => probe.one(5),
  'instance with fields, seeded': () => withSeed(new Model(), 1).fit(0),
  // After many calls on plain instances of Probe: what a prototype is known to be must not stand for the object.
  'a Map as this': () => probe.one.call(onProbe(new Map([['a', 1]])), 1),
  'a Date as this': () => probe.one.call(onProbe(new Date(5)), 1),
  'a Uint8Array as this': () => probe.one.call(onProbe(new Uint8Array([1, 2])), 1),
  'an Error as this': () => probe.one.call(onProbe(new Error('e')), 1),
};

/** A built-in given Probe's prototype: it is still the built-in. */
function onProbe<T extends object>(value: T): Probe {
  return Object.setPrototypeOf(value, Probe.prototype) as Probe;
}

/** The key of each case, made by the writer at 515b82f. */
const EXPECTED: Record<string, string> = {
  'bench params': 'db3f71a861454b7d8f1b74f8fbe10c5f83ddeb94e89fc330dd6360e186cbace9',
  'empty object': '2f9aa0430372ff789884587afc14f4400c3e0ecf98c715270c9f380168b70dfa',
  'two keys': '0caf72fa534ff994f821d9e74a0283a20d3b54c222b0aa6530379de838ebd8bc',
  nested: 'b36028e25dc5c21195a0f46fb3f771dadf50538feaa9dbed9599f670d3961bcc',
  'odd names': '293ef61c0c2e9490ce459f61ed125f6a2f83415c6e92af8446bdf80ad5a6fda4',
  'symbol keys': '64c220124fb8e47412421fac1f1d6c77e40398983961e7ce0ae9d79820f08282',
  'non-enumerable property': 'ca691d76fce008b79a387555c10b13544f18a3c7f6013a0149267c65abe92bf7',
  'null prototype': '455062d6e96dda34dcd8b458c584eebca0bd0fa499831f0bc9f06db1c8038b98',
  'ordinary prototype': '3720fccbb7c9a62a8eb4b6ee0f0bfdec5ab871c7642301a34ec375346dccdf45',
  cycle: '4675a6b12e234b4abcb7ac2312e852a5973107fa253fec35cbcd157a848f386b',
  'empty array': '714631e3d461476a83aea9f610201a1abe1197293f04d611579d039a3035fc47',
  'short array': '6b9f2bb423be408f8aa6195107f9627bc2cc4b164ee3413aa69e29ee8ae9a8db',
  'array of 15 numbers': 'f422dd6952f83824a8e9b6613110c0e21235647c97af5ad87ea6dcbd12dc6b78',
  'array of 16 numbers': '6c97250ea9bcc65e57fc621fb54e2a8d476c43d0c918615e1b272374b9eae173',
  'array of 40 numbers with -0 and NaN': '41e5ffa47531f201494da04e15a23796dadb1fb5bf53113dabba6e9111d846b0',
  'array of 16, one a string': '0312833ffd8633f2943fda9bcdaef14829e9e0a5b5825752eebb4d00968c38cb',
  'array with holes': '5a720e21252aa37d674b2d9889d1ddd949328b5f00e328866daa1c97c28c4185',
  'array with a property': '1dc8298b8fddb9acb55d4dd7e7f4251e0395b8bbae356010dfdf1922fdf4ff56',
  'nested arrays': 'e1c1e52a628bb6bf30712061c21f19ddf9d61ffb90081a241456d1c79ba4a60d',
  'empty string': '0a1ecabbc74f7cba14a848fafa76a09b3c739ae7c44d1cded2ed5aec8bb74776',
  string: 'f31d15f9700d5453a8cd18d42d554efc1f2c421f301e3713c06bff3a75a10fac',
  'non-ASCII string': '9b1ca0583404ba9ec1feee026d4d02b744a84ff143ff60a9465b50ffd5c5c86a',
  'lone high surrogate': 'ccb7761fc163720c6d7f0c31b5312c8d1eaf3a6c4975178ecedd8107f8a93294',
  'lone low surrogate': '32c247d794b05c2b863a10b3278a2731af7640f1a419cde7f44d0911e5fdfbf2',
  'surrogate inside': 'ba7e2dab2fff44c46275c2be9ea061b0a204ddf2a49165278af8704be8ff3327',
  'surrogate pair': '53fe2ae87f56cc200d599462c759f3a6e6c8613d259b50c4143cd83a6215321c',
  'replacement character': '3e2bfa24befa99f9a5f9db6fbdf32b6158f0c755561b0f7297228b831c674365',
  'string like a tag': 'e94574f6810ece889fc00f5527d731036110da113fe922aecd8de2a072927a5c',
  zero: 'abd3f1c399d569f89b699cb5a036b1aed4fb0543feaed3b2f03999ab45b93bbd',
  'minus zero': 'bcbe4ae0ff42fd157b0c6b56c9db3d08b8dfcef7de418a53783e86e88cf2cf00',
  NaN: 'e96dde772f710c65b9b48a12594ecd05a4363b415d447202b36ab05f81be6cb2',
  Infinity: 'e1f94fe9460f146fac213c596a2f92164d9e98f04eb8d896c6c8863ad3007c5d',
  '-Infinity': 'e7e0e15d92ccfeea8f6e596a6f1545ab4933a613c96b6d8f4eb785ed691120b3',
  fraction: 'fd2070becaec4de9118c6cc261a1837dc44b1df1c17f83b734c45f7b2c3c8486',
  'large number': '4d61e5aa67e37a68da95c11cef43b775b30aabb676dfbba4f47959d5a1e51aed',
  'max safe integer': '1fe41ff03f28ce4d1be715e16c4f5e1d2ebe5d63994fd1a1971e9d5258f258d5',
  'bigint zero': 'f178dd263fbe32e794b3098bc79c8df203c9af6aac7610f9bbef7ad9543f420f',
  'large bigint': '8ac1b7637c6250e5d1445c8a197b9072bfac7449359ff1172b9c6965a9f05aa8',
  'negative bigint': 'bddb75e2a76c13de8407b63f6c4228b46dc6edfc8a23bb20120d36bc6ae7715a',
  undefined: 'ec64b6e851d956df5ae34bf234ad3334b99f75497416acc95f720c1b28611a10',
  null: '30f157c01eee60deea4845ceb174cef790d8cd5fd160b28d5709cce065b4d2e0',
  true: '00f4dded43794a7dac0d59238271db80972c65156d6e0cca926e9ea08a783e47',
  false: '3f115537a93bbf7ce9145181fba6ef0f5b5deb884863f889140fb524e8cd8e17',
  'registered symbol': '2e15522f689e540314ae5626504a6f9e10805ece65c76be037dffe6d0dfbccf6',
  'described symbol': '688479ec1da2408cdbcf9f40b47713c71e70f4a1dc5d31c204554517ed831671',
  'bare symbol': '373223b578f609754651441b8149f6e3950ceaf7dc2db428714ee49abdc935ae',
  Map: '1e132b04fed97973c5f8c3ed2ecf43e7bd2bcfc4c23f6d05af3deebc99e10a26',
  'empty Map': '1aaf32121d2eb20b9fc2b1f517d3154e2c9771b874e8a7d99d2ef1ac8ad99e58',
  'Map of objects': '9f333197dd8baa43e669a8f4bec6173c10f51ec45e5e0706af84a44d964d1881',
  'Map subclass': 'd4dad8b31dce63f132191f95d70ea86619e54ed527058da08312301f64c0278e',
  'Map with a class prototype': 'b9bc64a1e065e7b5d437fff76eeefeb86b5b74b17a7d8c6eea8be0b9b5d2a91a',
  'Map with no prototype': 'b158556964c99bac7f5d461a7e6efd6e3b4e68cee1c8e67427fddfe500c3b502',
  'Map with a property': 'cd326f6c865e1dff851467fecac5f166992e748e303bd63fa11081be9c41bb6c',
  Set: '3ab10c95384ba0944669e1e2c9a430510bf0d8e074fa5dfd482496232fdaec4e',
  'empty Set': 'dcd2bda27b420b3f78a3e7d9d93b0fe4ef239a556d5bd07e8c88e95f8afd8501',
  'Set with a plain prototype': 'c11c3be3b627372df9b9714a270d53b374604e39c9735796d0b522fff776d53e',
  Date: '37c6aace27f9bbaeffe4f2352ddcc35194148a06aa84bc6a700496597da1aa65',
  'Date zero': '4a3022fba39d69043ef7a105228cf45efdd7a35f9ea2a023e7585af50c68f591',
  'invalid Date': '2f3419c64afda102178ae1eed188fdaccf133ef0e458fdbb231e6899cab249cb',
  RegExp: 'c6e5d4c012d88fcb5fe6348fbed162dc7fedeb33e4ee39d9dc582f6712579641',
  'RegExp with lastIndex': '3c7dd391607ae64ccb8fc196df733c15be0ed5a1ea3ad467d63f9c6983803f64',
  Error: '31fd0bde387c99ef67fcecd9f840932ff72736becfbb646c3e489a392d1f2713',
  'Error with code': '6203a39e82a5c9430b79fcf4c14b319f05f5cdb21b3754b5acce64058830ff47',
  TypeError: '4bd60a4413ca984944c04c3fa31ee62027aea4622ebb065f588e6eace10dcb81',
  Uint8Array: '0b14972e7e14cf9d71d042bb34bbd0191ea0c534cf495aa79723b68de9bcea06',
  Float64Array: 'd65966e5f16c7a8e74834fecc4c61c8501a5de06aedf80c3def0a63b4def3a97',
  'Int16Array subarray': '631aaa97feea4cf118b2977332937598dc3d55c780bc77c791036c481d40628b',
  BigInt64Array: '3951d6baffa03b45d114dc3c1d130ad941e274ae9f5d6b514487a729eadc3e7b',
  'typed array with a property': '31eb5beb56a2ecbb6c13731751fefb8cfc394ed65b8d304277e764d456f1df79',
  DataView: 'ee3c0b0e79a6afc2f1afee34f4135cc7f32e861732be632ab0ccd24d33be521a',
  ArrayBuffer: '4411fef64afd92f9b4381b039179f804ed181c3404832d4e58019d085c20ed25',
  Buffer: 'b84d1638a8251a68d3d57d486a4cef4517fe9d952fe07eea3b9ca0f4b55e22da',
  'Number object': '5e681a98df2427ee329e08b941352a9f95464a1a11fd2eb82ef12915bbae3d3f',
  'String object': '9b1f43ba99930fc87796df5caa69af031204d77ec0886a942ba0643f93221ba9',
  'Boolean object': '35ca2ea73f06d6787a5947d5c7a39add7742fbadf8e6fae1974ff57c5e09349a',
  URL: '1217265e40a9d4201b46f4f89f13aca1cb761e2935778e5b2ece47ba75ac2b66',
  URLSearchParams: '25d9de97c349a6b1aa319b300b908a7fa9ac52bfd33e0238313abfc55cae51de',
  'class instance': '1ddb9771dca697d88fb983b5f561ab7a7fea0fe21d25db1b5410f7a0bcd864bd',
  'class instance with -0': 'd160cff1e6de9adaf36ea2e7d0838058bd19efd4865861e618b0e7681356d3a4',
  'nested class instances': '72b6d76bce3359e36d1e2f5783292f139679cd8e60306f51395722561e7f0db8',
  'instance with no fields': '52c465582f988d0fe133bfe6a257ea5c7b336745adec9dff6b2aef67565db560',
  'instance with keyOf': '3e0976694bbb120214c843fbd760dde36717b5f5b3617a20c9732170d0074cd2',
  'arguments object': '7c3b6176d2dcf7d6eaf718640ee715b584001a2073fbacf1729408452c410708',
  'pure function': 'a73920c28b488404c385b0df9532c39f0730433dab4f37167039fc13d3b5b05c',
  'two arguments': '1e199236afc25f95763f9a59651da2d39ce743c3f134c94f6523979fec579785',
  'two arguments, undefined second': '38a41dede062f19bd36e08a0cd360f59d0b6cba0e90f851e528a174b9753ab40',
  'two arguments, second missing': '38a41dede062f19bd36e08a0cd360f59d0b6cba0e90f851e528a174b9753ab40',
  'ignored parameter': '60352e56dc42b134c3d8b9fcf9450ec44d0d89050063394f52e103b4cedaf368',
  'ignored parameter, other value': '60352e56dc42b134c3d8b9fcf9450ec44d0d89050063394f52e103b4cedaf368',
  ignoreThis: '09520c15fadf91aa8c53cb7226f285042517c8cdc3cb807866367f280f269cf9',
  'key option': '9ae28e1265850706ce6294ea328c8cf6c11a698586c38b2b2e2ad3bddb1ed04d',
  'static method': 'ac9c4aa78925ef6e5495c78cac7a547b92d9842f35faad707c73bfebece04107',
  'static method with static fields': '1100cb942824e9d5866ffdb561f6387f332328bd0ca874960d42f487e0642ba4',
  'instance with fields': 'd19deb52a019c9061e82e3f7f6142fbb41a49f40032f48f53106e0456c3d2323',
  'instance with changed fields': 'e2aedf38f318934b22b8efab43553726a8966c70000281c2055e683aa67b5ac6',
  'global_seed 7': 'c964a93b5d9d248b6bcc9fc9d9e2fbfe0f5174c0a3256b589654e0db4bc7781b',
  'global_seed \'seven\'': 'ab13f7620bf0d922efb7a3acb8317522056af151a2f39f4379054de29ca39b34',
  'withSeed 7': 'c964a93b5d9d248b6bcc9fc9d9e2fbfe0f5174c0a3256b589654e0db4bc7781b',
  'no global_seed': '26249812ce0971101ccfb1e3216259e9793efee34f5c57e3fe532ffc1f335c8c',
  'instance with fields, seeded': 'b89309c84078277437a378decd73ce74d598ed375e549c9a8a9709508b8f2054',
  'a Map as this': '5588e68340fa93b8d0a611c69b443a2d16245d8f4a870638d7f314e90f12dcc2',
  'a Date as this': '8a782f485665824c568a8bb153ca9ab19281dfa742defcd41a5c7e865d8fb553',
  'a Uint8Array as this': 'a75324c6f9dbf19a0ab95461437ae55aca1658f3b862d4f1c89c6cdcaf53b2be',
  'an Error as this': '7bbdb28b27337df753223956c2e868e828c995fe3d991736df5c9078c6c9ed1d',
};

/** The parts a record keeps for a few cases (short hashes of the arguments and of each field of `this`). */
const EXPECTED_PARTS: Record<string, Record<string, string>> = {
  'bench params': { args: '15f9642a2a5dba6d' },
  'ignored parameter': { args: 'abb8d2611b3f33c2' },
  'key option': { args: 'dc50e26e8efa8143' },
  'static method with static fields': { 'this.label': '6ef28c6943f318df', 'this.scale': 'eee917fdec459466', args: '9e7ae3592c5b883b' },
  'instance with fields': { 'this.depth': 'eee917fdec459466', 'this.name': '59c03887d2ce4448', 'this.weights': '2d04e8250d70f93e', args: '498257b2ff778041' },
  'instance with changed fields': { 'this.depth': 'b8eb8baf913e4720', 'this.name': '59c03887d2ce4448', 'this.weights': '2d04e8250d70f93e', args: '498257b2ff778041' },
};

const PARTS_OF = ['bench params', 'instance with fields', 'instance with changed fields', 'ignored parameter', 'static method with static fields', 'key option'];

const actual: Record<string, string> = {};
const actualParts: Record<string, Readonly<Record<string, string>> | undefined> = {};
for (const [name, value] of Object.entries(VALUES)) {
  const m = made(() => probe.one(value()));
  actual[name] = m.key;
  if (PARTS_OF.includes(name)) actualParts[name] = m.parts;
}
for (const [name, call] of Object.entries(CALLS)) {
  const m = made(call);
  actual[name] = m.key;
  if (PARTS_OF.includes(name)) actualParts[name] = m.parts;
}

describe('keys are exactly as before', () => {
  test.each(Object.keys(EXPECTED))('%s', (name) => {
    expect(actual[name]).toBe(EXPECTED[name]);
  });
  test('every case is pinned', () => {
    expect(Object.keys(actual).sort()).toEqual(Object.keys(EXPECTED).sort());
  });
  test.each(PARTS_OF)('the parts of %s', (name) => {
    expect(actualParts[name]).toEqual(EXPECTED_PARTS[name]);
  });
  test('calls that mean the same share a key', () => {
    expect(actual['two arguments, second missing']).toBe(actual['two arguments, undefined second']);
    expect(actual['ignored parameter, other value']).toBe(actual['ignored parameter']);
    expect(actual['withSeed 7']).toBe(actual['global_seed 7']);
    expect(key(() => probe.one({ a: 2, b: 1 }))).toBe(actual['two keys']);
    expect(new Set(Object.values(actual)).size).toBe(Object.keys(actual).length - 3);
  });
});

describe('a brand is about the object, not its prototype', () => {
  function refused(call: () => unknown): string {
    try {
      call();
    } catch (error) {
      expect((error as { code?: string }).code).toBe('FUNES_UNHASHABLE');
      return (error as Error).message;
    }
    throw new Error('expected FUNES_UNHASHABLE');
  }

  test('an argument: a Map given a class prototype keys as a Map after instances of that class were keyed', () => {
    for (let i = 0; i < 3; i++) expect(key(() => probe.one(new Empty()))).toBe(EXPECTED['instance with no fields']);
    expect(key(() => probe.one(Object.setPrototypeOf(new Map([['a', 1]]), Empty.prototype)))).toBe(EXPECTED['Map with a class prototype']);
    expect(key(() => probe.one(new Empty()))).toBe(EXPECTED['instance with no fields']);
    expect(refused(() => probe.one(new Proxy(new Empty(), {})))).toMatch(/is a Proxy/);
    expect(refused(() => probe.one(Object.setPrototypeOf(new WeakMap(), Empty.prototype)))).toMatch(/WeakMap/);
    expect(refused(() => probe.one(Object.setPrototypeOf(Promise.resolve(1), Empty.prototype)))).toMatch(/is a Promise/);
    expect(refused(() => probe.one(Object.setPrototypeOf(new Map().keys(), Empty.prototype)))).toMatch(/iterator/);
  });

  test('this: a built-in, a Proxy or a Promise given the class prototype is not an instance with no fields', () => {
    for (let i = 0; i < 3; i++) expect(key(() => probe.one(5))).toBe(EXPECTED['no global_seed']);
    expect(key(() => probe.one.call(onProbe(new Map([['a', 1]])), 1))).toBe(EXPECTED['a Map as this']);
    expect(key(() => probe.one(5))).toBe(EXPECTED['no global_seed']);
    expect(refused(() => probe.one.call(new Proxy(new Probe(), {}), 5))).toMatch(/is a Proxy/);
    expect(refused(() => probe.one.call(onProbe(Promise.resolve(1)), 5))).toMatch(/is a Promise/);
    expect(refused(() => probe.one.call(onProbe(new WeakSet()), 5))).toMatch(/WeakMap or WeakSet/);
    expect(refused(() => probe.one.call(onProbe(new Set([1]).values()), 5))).toMatch(/iterator/);
  });
});

describe('a key made while another is being made', () => {
  /** The key of the call itself: the last read, after those of any calls made while its key was made. */
  function outer(call: () => unknown): string {
    call();
    return store.keys[store.keys.length - 1]!;
  }

  test('a [keyOf]() that calls memorized methods, one of them refused, leaves the outer key as it is', () => {
    // The inner calls' first keys read classes' sources: not a slow key of the outer call.
    Memorious.configure({ slowKey: '60s' });
    try {
      // Named as the class of the pinned case, so that its key must be that case's.
      const Nested = class Keyed {
        id;
        constructor(id: number) {
          this.id = id;
        }
        [keyOf]() {
          probe.one({ inner: [1, 2, 3] });
          expect(() => probe.one(new Proxy({}, {}))).toThrow(/is a Proxy/);
          probe.two(new Map([['k', { deep: [new Point(1, 2)] }]]), 'x');
          return { id: this.id };
        }
      };
      const before = store.keys.length;
      probe.one(new Nested(7));
      // Read in the order their keys were finished: the two inner calls' first, the outer last.
      expect(store.keys.slice(before)).toEqual([key(() => probe.one({ inner: [1, 2, 3] })), expect.any(String), EXPECTED['instance with keyOf']]);
      expect(outer(() => probe.one(new Nested(7)))).toBe(EXPECTED['instance with keyOf']);
    } finally {
      Memorious.configure({ slowKey: undefined });
    }
  });

  test('a getter that makes a key while an array and an object are half written', () => {
    const tricky = {
      a: [1, { b: 2 }],
      get c() {
        return probe.one([{ deep: 'x' }]);
      },
    };
    const plain = key(() => probe.one({ a: [1, { b: 2 }], c: 0 }));
    const inner = key(() => probe.one([{ deep: 'x' }]));
    const before = store.keys.length;
    probe.one(tricky);
    // The getter runs while the key is made, and again when the input is kept for the record.
    const reads = store.keys.slice(before);
    expect(reads.filter((k) => k !== inner)).toEqual([plain]);
  });
});
