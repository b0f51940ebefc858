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
