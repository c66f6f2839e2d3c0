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
 * What kind of live resource `value` is by its class, or null. `instanceof` reads only the
 * prototype chain, so the writer asks once per prototype, not at every key of an instance.
 */
export function resourceClass(value: object): string | null {
  for (const [kind, cls] of KINDS) if (cls && value instanceof cls) return kind;
  return null;
}

/** `fs.promises` file handles: Node does not export their class, so they are known by name and shape, at every key. */
export function isFileHandle(value: object): boolean {
  const v = value as { constructor?: { name?: unknown }; fd?: unknown; close?: unknown; read?: unknown };
  return v.constructor?.name === 'FileHandle' && typeof v.fd === 'number' && typeof v.close === 'function' && typeof v.read === 'function';
}
