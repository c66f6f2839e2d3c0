/**
 * One argument or field of `this` as the key wrote it. Its path is made when asked for
 * (explaining a miss, naming a slow part): a hit never needs it.
 */
export class KeyPart {
  constructor(
    private readonly root: string,
    private readonly name: string,
    private readonly named: boolean,
    readonly text: string,
    /** Bytes hashed for it, text and binary data together. */
    readonly bytes: number,
  ) {}

  /** Where it is: `args.lr`, `this.data`, `this[keyOf]()`. */
  get path(): string {
    return this.root + (this.named ? segment(this.name) : this.name);
  }
}

/** A property's place in a path: `.name`, or `["odd name"]`. */
export function segment(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

