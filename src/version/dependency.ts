/**
 * One piece of code (or package) a version rests on, as kept in the version's metadata.
 * @example `{ name: 'helper', kind: 'function', file: 'src/lab.ts', text: 'function helper(x) {\n  return x * 2;\n}' }`
 */
export interface Dependency {
  /** `helper`, `Lab.create` (static member), `Lab#scale` (instance member), or a package name. */
  readonly name: string;
  /** What it is: function, class, variable, enum, namespace, method, property, option, import, package, module. */
  readonly kind: string;
  /** The file it is declared in, relative to the project root (`/`-separated); none for packages. */
  readonly file?: string;
  /** Its normalised source: types, comments and formatting gone. For a package, its installed version. */
  readonly text: string;
  /** For `kind: 'package'`: the installed version, or `'unknown'`. */
  readonly version?: string;
}

/**
 * A value a method's results depend on that no source shows, and why.
 * @example `{ name: 'rate', why: 'a local of an enclosing function' }`
 */
export interface HiddenDependency {
  readonly name: string;
  readonly why: string;
}
