// The few calls of cacache the benchmark makes (cacache ships no types, and
// @types/cacache is not worth a dependency for two functions).
declare module 'cacache' {
  export interface GetResult {
    readonly data: Buffer;
    readonly integrity: string;
    readonly size: number;
  }
  export function get(cachePath: string, key: string): Promise<GetResult>;
  export function put(cachePath: string, key: string, data: Uint8Array | string): Promise<string>;
}
