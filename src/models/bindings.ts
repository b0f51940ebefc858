import { DisposedError } from '../errors.js';

/** What a model holds in its backend (placed data sets): released one by one, or all at once by the model's `dispose()`. */
export class Holdings<K extends { dispose(): void }> {
  private readonly live = new Set<K>();
  private disposed = false;

  /** `owner` names the model in the DisposedError its later use throws. */
  constructor(private readonly owner: string) {}

  /** Throw DisposedError once the owner was disposed; call before any work. */
  check(): void {
    if (this.disposed) throw new DisposedError(this.owner);
  }

  /** Track a new holding so `disposeAll` frees it. */
  add(k: K): K {
    this.live.add(k);
    return k;
  }

  /** Forget a holding its owner already released. */
  forget(k: K): void {
    this.live.delete(k);
  }

  /** Free every holding; from now on `check` throws. */
  disposeAll(): void {
    for (const k of [...this.live]) k.dispose();
    this.live.clear();
    this.disposed = true;
  }
}
