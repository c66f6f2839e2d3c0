import { ChildProcess } from 'node:child_process';
import { Socket as UdpSocket } from 'node:dgram';
import { Dir } from 'node:fs';
import { Server } from 'node:net';
import { Interface } from 'node:readline';
import { Stream } from 'node:stream';
import { MessagePort, Worker } from 'node:worker_threads';

/**
 * Live resources: objects whose meaning is a connection or a handle held by the process
 * (a socket to one server, a file handle on one file), which no key can capture.
 */
const KINDS: readonly (readonly [string, Function | undefined])[] = [
  ['a stream or socket', Stream],
  ['a server', Server],
  ['a UDP socket', UdpSocket],
  ['a child process', ChildProcess],
  ['a worker', Worker],
  ['a message port', MessagePort],
  ['a readline interface', Interface],
  ['an open directory', Dir],
  ['a timer', timerClass(() => setTimeout(() => undefined, 0), clearTimeout)],
  ['a timer', timerClass(() => setImmediate(() => undefined), clearImmediate)],
];

/** Timers are instances of classes Node does not export: found from one made and cleared. */
function timerClass(make: () => object, clear: (t: never) => void): Function | undefined {
  const t = make();
  clear(t as never);
  return (Object.getPrototypeOf(t) as { constructor?: Function }).constructor;
}

/**
 * The resource kind of everything whose prototype is `proto`: `instanceof` reads only the
 * prototype chain, so a user's class (or `Object.prototype`) is looked up once, not at
 * every call that keys one of its instances.
 */
const kindOfProto = new WeakMap<object, string | null>();

/** What kind of live resource `value`, whose prototype is `proto`, is, or undefined when it is none. */
export function resourceKind(value: object, proto: object | null): string | undefined {
  let kind = proto === null ? null : kindOfProto.get(proto);
  if (kind === undefined) {
    kind = null;
    for (const [k, cls] of KINDS) {
      if (cls && value instanceof cls) {
        kind = k;
        break;
      }
    }
    kindOfProto.set(proto!, kind);
  }
  if (kind !== null) return kind;
  return isFileHandle(value) ? 'a file handle' : undefined;
}

/** `fs.promises` file handles: Node does not export their class, so they are known by name and shape. */
function isFileHandle(value: object): boolean {
  const v = value as { constructor?: { name?: unknown }; fd?: unknown; close?: unknown; read?: unknown };
  return v.constructor?.name === 'FileHandle' && typeof v.fd === 'number' && typeof v.close === 'function' && typeof v.read === 'function';
}
