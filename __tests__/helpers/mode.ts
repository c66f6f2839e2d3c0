/** Which decorator model this jest project compiles tests with. */
export type DecoratorMode = 'legacy' | 'stage3';

let seen: DecoratorMode | undefined;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function probe(...args: unknown[]): any {
  seen = args.length === 2 ? 'stage3' : 'legacy';
}

class Probe {
  @probe
  method(): void {}
}
void Probe;

export const mode: DecoratorMode = seen!;
