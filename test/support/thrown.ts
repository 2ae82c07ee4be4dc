/**
 * The error `fn` throws, or a failing test when it throws nothing. Use it
 * instead of asserting inside `catch`, whose assertions silently never run
 * when the code under test stops throwing.
 */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to throw, but it returned normally");
}
