/** The error `fn` throws, which must be a `type` (a different error is rethrown; no error fails). */
export function thrownBy<E>(fn: () => unknown, type: abstract new (...args: never[]) => E): E {
  try {
    fn();
  } catch (e) {
    if (e instanceof type) return e;
    throw e;
  }
  throw new Error(`expected a ${type.name}, but the call returned`);
}

/** The thrown error's class name and argument (['none', ''] when `fn` returns). */
export function thrownNamed(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (e) {
    return [(e as Error).name, (e as { argument: string }).argument];
  }
  return ['none', ''];
}
