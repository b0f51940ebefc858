/** Render a value for an error message: short, and unambiguous for NaN, -0 and strings. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'function') return 'a function';
  return typeof value;
}

/**
 * Base class of every error elman throws on purpose; `argument` names the culprit, `value` is what it was.
 * @category Errors
 */
export class ElmanError extends Error {
  /**
   * @param message The whole sentence shown to the user.
   * @param argument The option, argument or value at fault.
   * @param value What that argument was.
   */
  constructor(
    message: string,
    /** The option, argument or value at fault (`lr`, `x`, `init`, or for a divergence what became non-finite). */
    readonly argument: string,
    /** What that argument was (for a divergence or an abort, the epoch). */
    readonly value: unknown,
  ) {
    super(message);
    // Named by the subclass's `label`, not its class name, which minifiers rename.
    this.name = (new.target as unknown as { label?: string }).label ?? 'ElmanError';
  }
}

/**
 * An option or hyper-parameter out of its domain: `lr must be a finite number > 0, got NaN`.
 * @category Errors
 */
export class ConfigError extends ElmanError {
  /** This class's `error.name`, kept when a minifier renames the class. */
  static readonly label: string = 'ConfigError';
  constructor(argument: string, value: unknown, expected: string) {
    super(`${argument} must be ${expected}, got ${show(value)}`, argument, value);
  }
}

/**
 * An array of the wrong length or shape: `x must have length 200 (steps 10 × samples 20), got 199`.
 * @category Errors
 */
export class ShapeError extends ElmanError {
  /** This class's `error.name`, kept when a minifier renames the class. */
  static readonly label: string = 'ShapeError';
  constructor(argument: string, value: unknown, expected: string, actual?: string) {
    super(`${argument} must ${expected}, got ${actual ?? show(value)}`, argument, value);
  }
}

/**
 * Data whose values break the model's contract (NaN, or non-binary where binary is required).
 * @category Errors
 */
export class DataError extends ElmanError {
  /** This class's `error.name`, kept when a minifier renames the class. */
  static readonly label: string = 'DataError';
  constructor(argument: string, value: unknown, index: number, expected: string) {
    super(`${argument}[${index}] must be ${expected}, got ${show(value)}`, argument, value);
  }
}

/**
 * A result overflowed float32 (the loss, a gradient or a state is not finite at these weights).
 * @category Errors
 */
export class NumericError extends ElmanError {
  /** This class's `error.name`, kept when a minifier renames the class. */
  static readonly label: string = 'NumericError';
}

/**
 * What turned non-finite when training diverged.
 * @category Errors
 */
export type DivergedValue = 'loss' | 'gradient' | 'weights' | 'validation loss';

/**
 * Training produced a non-finite loss, gradient or weight; the model was put back to `weights`.
 * @category Errors
 */
export class DivergenceError extends NumericError {
  /** This class's `error.name`, kept when a minifier renames the class. */
  static override readonly label: string = 'DivergenceError';
  /** The loss and weights recorded up to the failure (set by the training loop). */
  history?: unknown;
  /**
   * @param epoch The 0-based epoch in which a value turned non-finite.
   * @param what Which value it was.
   * @param weights The flat parameters the model was reset to.
   * @param hadFiniteLoss False when the starting weights already gave a non-finite loss.
   */
  constructor(
    /** The 0-based epoch in which a value turned non-finite (the number of epochs completed before it). */
    readonly epoch: number,
    what: DivergedValue,
    /** A copy of the flat parameters the model was reset to. */
    readonly weights: Float32Array,
    /** False when even the starting weights gave a non-finite loss: `weights` are those, not a good state. */
    readonly hadFiniteLoss = true,
  ) {
    super(
      `training diverged at epoch ${epoch}: the ${what} became non-finite; ` +
        (hadFiniteLoss ? 'the model keeps the last weights with a finite loss' : 'the starting weights already give a non-finite loss, and the model keeps them'),
      what,
      epoch,
    );
  }
}

/**
 * A second training call on a model that is already training (one call per model at a time).
 * @category Errors
 */
export class BusyError extends ElmanError {
  /** This class's `error.name`, kept when a minifier renames the class. */
  static readonly label: string = 'BusyError';
  constructor(argument: string, what: string) {
    super(`${argument} is busy: ${what}`, argument, undefined);
  }
}

/**
 * The WebAssembly core was used before `init()` finished, or failed to load.
 * @category Errors
 */
export class InitError extends ElmanError {
  /** This class's `error.name`, kept when a minifier renames the class. */
  static readonly label: string = 'InitError';
  constructor(message: string, value?: unknown) {
    super(message, 'init', value);
  }
}

/**
 * A model, batch or arena was used after `dispose()`.
 * @category Errors
 */
export class DisposedError extends ElmanError {
  /** This class's `error.name`, kept when a minifier renames the class. */
  static readonly label: string = 'DisposedError';
  constructor(what: string) {
    super(`${what} was disposed and cannot be used any more`, what, undefined);
  }
}

/**
 * Training was stopped by its AbortSignal; the model keeps the weights it had reached.
 * @category Errors
 */
export class AbortError extends ElmanError {
  /** This class's `error.name`, kept when a minifier renames the class. */
  static readonly label: string = 'AbortError';
  /** The loss and weights recorded up to the abort (set by the training loop). */
  history?: unknown;
  /** @param epoch Epochs completed when the signal was seen. */
  constructor(
    /** Epochs completed when the signal was seen; a part-done epoch is rolled back to its start. */
    readonly epoch: number,
  ) {
    super(`training aborted at epoch ${epoch}`, 'signal', epoch);
  }
}
