/** The text the key writer makes of names and lists: property names' length-prefixed text, and orders that do not depend on insertion. */

/**
 * The length-prefixed text of property names (`6:layers`), made at the first use of each:
 * the same few names come back key after key. Up to 4,096 names of up to 64 characters are
 * kept, so that no table's keys fill the process.
 */
const NAME_TEXT = new Map<string, string>();

export function nameText(name: string): string {
  let text = NAME_TEXT.get(name);
  if (text === undefined) {
    text = `${name.length}:${name}`;
    if (NAME_TEXT.size < 4096 && name.length <= 64) NAME_TEXT.set(name, text);
  }
  return text;
}

function isSorted(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

/**
 * Sorts property names in place in the order of `Array.prototype.sort()`, by UTF-16 code
 * units: a few names by insertion, with no call into the engine's sort; many by `sort`.
 */
export function sortNames(names: string[]): void {
  const count = names.length;
  if (count > 16) {
    if (!isSorted(names)) names.sort();
    return;
  }
  for (let i = 1; i < count; i++) {
    const name = names[i]!;
    let j = i - 1;
    if (names[j]! < name) continue;
    do {
      names[j + 1] = names[j]!;
      j--;
    } while (j >= 0 && names[j]! > name);
    names[j + 1] = name;
  }
}

export function sorted(entries: string[]): string {
  entries.sort();
  let out = `${entries.length}{`;
  for (const e of entries) out += `${e.length}:${e}`;
  return `${out}}`;
}

export function describeKey(key: unknown): string {
  return typeof key === 'string' ? JSON.stringify(key) : typeof key === 'number' ? String(key) : typeof key;
}
