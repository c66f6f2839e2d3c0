import { FunesError } from './errors';
import { MemoMethod } from './memo';
import { registered } from './registry';
import { checkOptions, type MemoriousOptions } from './options';

type Method<This, Args extends unknown[], R> = (this: This, ...args: Args) => R;

/**
 * `@memorious` as a decorator of either model: TypeScript's legacy decorators
 * (`experimentalDecorators`) and TC39 stage-3 decorators (TypeScript 5+ default).
 * It is what `memorious(options)` returns.
 * @example
 * ```ts
 * const remembered: MemoriousDecorator = memorious({ cacheDir: 'results/cache' });
 * class Lab { @remembered fit(lr: number): number { ... } }
 * ```
 */
export interface MemoriousDecorator {
  <This, Args extends unknown[], R>(
    value: Method<This, Args, R>,
    context: ClassMethodDecoratorContext<This, Method<This, Args, R>>,
  ): Method<This, Args, R>;
  <T>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<T>): TypedPropertyDescriptor<T> | void;
  <F extends (...args: never[]) => unknown>(fn: F): F;
}

/**
 * Makes a class method, or a plain function, remember every result on disk. Call it again with the same
 * input, in this process or a later one, and the stored result comes back without
 * running the method; change the method's code and its old results stop being served.
 *
 * Works bare (`@memorious`) or with options (`@memorious({ cacheDir })`), on sync and
 * async methods, static or not, under both decorator models. Given a function,
 * `memorious(fn)` or `memorious(options)(fn)` returns its memorized form, whose records
 * go under the function's name (or the `name` option, which an arrow needs). A last argument
 * `{ global_seed: n }` seeds `Math.random` for that call only (see {@link withSeed}).
 *
 * @example
 * ```ts
 * class Lab {
 *   @memorious
 *   double(x: number): number { return 2 * x; }
 *
 *   @memorious({ cacheDir: 'results/cache' })
 *   async fit(params: Params, epochs = 10): Promise<Model> { ... }
 * }
 *
 * const cachedSimulate = memorious(simulate);                  // a plain function
 * const fit = memorious({ name: 'fit' })((lr: number) => train(lr));
 * ```
 * @throws FunesError `FUNES_NOT_A_METHOD` when applied to anything but a method or a
 *   function (a class, a getter, a field); `FUNES_BAD_OPTION` for a bad option, or an
 *   anonymous function without a `name`.
 */
export function memorious<F extends (...args: never[]) => unknown>(fn: F): F;
export function memorious<This, Args extends unknown[], R>(
  value: Method<This, Args, R>,
  context: ClassMethodDecoratorContext<This, Method<This, Args, R>>,
): Method<This, Args, R>;
export function memorious<T>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<T>,
): TypedPropertyDescriptor<T> | void;
export function memorious(options?: MemoriousOptions): MemoriousDecorator;
export function memorious(...args: unknown[]): unknown {
  if (isDecoratorCall(args)) return decorate(args, {});
  if (isPlainFunction(args)) return memorize(args[0], {});
  if (args.length === 1 && args[0] === undefined) {
    throw new FunesError(
      'FUNES_NOT_A_METHOD',
      'memorious was given undefined where it takes a function or options: is the function imported under its right name? ' +
        '(a decorator without options is written @memorious or @memorious())',
    );
  }
  if (args.length <= 1 && typeof args[0] !== 'function') {
    const options = checkOptions(args[0] === undefined ? {} : args[0]);
    return (...inner: unknown[]): unknown => {
      if (isDecoratorCall(inner)) {
        if (options.name !== undefined) {
          throw new FunesError('FUNES_BAD_OPTION', '@memorious: the name option is for plain functions; a method is named Class.method');
        }
        return decorate(inner, options);
      }
      if (isPlainFunction(inner)) return memorize(inner[0], options);
      throw misplaced(inner);
    };
  }
  throw misplaced(args);
}

/** One argument, a function that is not a class: `memorious(fn)`. */
function isPlainFunction(args: unknown[]): args is [Function] {
  return args.length === 1 && typeof args[0] === 'function' && !/^class\b/.test(Function.prototype.toString.call(args[0]));
}

/** The memorized form of a plain function: the same call path as a method, under the function's name. */
function memorize(fn: Function, options: MemoriousOptions): Function {
  const name = options.name ?? fn.name;
  if (!name) {
    throw new FunesError(
      'FUNES_BAD_OPTION',
      'memorious: an anonymous function or arrow needs a name for its records: memorious({ name: "fit" })((...) => ...)',
    );
  }
  if (registered(fn)) throw new FunesError('FUNES_BAD_OPTION', `memorious: '${name}' is memorized already`);
  return new MemoMethod(fn, name, options, true).wrapper;
}

function isDecoratorCall(args: unknown[]): boolean {
  return isStage3(args) || isLegacy(args);
}

function isStage3(args: unknown[]): args is [unknown, DecoratorContext] {
  const context = args[1] as Partial<DecoratorContext> | undefined;
  return args.length === 2 && typeof context === 'object' && context !== null && 'kind' in context && 'name' in context;
}

function isLegacy(args: unknown[]): args is [object, string | symbol, unknown] {
  return (
    args.length === 3 &&
    (typeof args[0] === 'object' || typeof args[0] === 'function') &&
    args[0] !== null &&
    (typeof args[1] === 'string' || typeof args[1] === 'symbol')
  );
}

function decorate(args: unknown[], options: MemoriousOptions): unknown {
  if (isStage3(args)) {
    const [value, context] = args;
    if (context.kind !== 'method' || typeof value !== 'function') throw misplaced(args);
    if (context.private) {
      throw new FunesError(
        'FUNES_NOT_A_METHOD',
        `@memorious cannot decorate the private method ${String(context.name)}: its class cannot be found ` +
          'from an instance, so its results would have no place; make it a public method',
      );
    }
    const method = new MemoMethod(value, context.name, options);
    // Static methods learn their class now; instance methods at the first construction.
    context.addInitializer(function (this: unknown) {
      method.locate(this);
    });
    return method.wrapper;
  }
  const [target, key, descriptor] = args as [object, string | symbol, PropertyDescriptor | undefined];
  if (!descriptor || typeof descriptor.value !== 'function') throw misplaced(args);
  const method = new MemoMethod(descriptor.value as Function, key, options);
  method.declaredOn(target);
  descriptor.value = method.wrapper;
  return descriptor;
}

/** The `TypeError` for a decorator in the wrong place, naming the member it was put on. */
function misplaced(args: unknown[]): FunesError {
  let what: string;
  if (isStage3(args)) {
    const context = args[1];
    what = `'${String(context.name)}', which is a ${context.kind}`;
  } else if (isLegacy(args)) {
    const descriptor = args[2];
    const owner = typeof args[0] === 'function' ? args[0] : args[0].constructor;
    const name = `'${(owner as Function | undefined)?.name ?? '?'}.${String(args[1])}'`;
    const kind =
      typeof descriptor === 'number'
        ? `a parameter of ${name}`
        : descriptor && typeof descriptor === 'object' && ('get' in descriptor || 'set' in descriptor)
          ? `${name}, which is an accessor`
          : `${name}, which is a property`;
    what = kind;
  } else if (args.length === 2 && typeof args[0] === 'function' && typeof args[1] === 'object') {
    what = `the function '${(args[0] as Function).name}' with options after it; options come first: memorious(options)(fn)`;
  } else if (args.length > 1 && typeof args[0] === 'function') {
    what = `the function '${(args[0] as Function).name}' with ${args.length - 1} more arguments (as Array.prototype.map passes them); memorious takes one function: fns.map((f) => memorious(f))`;
  } else if (args.length === 1 && typeof args[0] === 'function') {
    what = `the class '${(args[0] as Function).name}' (memorious takes a method, or a plain function as memorious(fn))`;
  } else {
    const given = args.map((a) => (a === null ? 'null' : Array.isArray(a) ? 'an array' : typeof a)).join(', ');
    what = `something that is not a class member or a function (given: ${given || 'nothing'})`;
  }
  return new FunesError('FUNES_NOT_A_METHOD', `@memorious can only decorate methods, but was applied to ${what}`);
}
