import { DisposedError } from '../errors.js';

/** The backend bindings a model holds: released one by one, or all at once by the model's `dispose()`. */
export class Bindings<K extends { dispose(): void }> {
  private readonly live = new Set<K>();
  private disposed = false;

  /** `owner` names the model in the DisposedError its later use throws. */
  constructor(private readonly owner: string) {}

  /** Throw DisposedError once the owner was disposed; call before any work. */
  check(): void {
    if (this.disposed) throw new DisposedError(this.owner);
  }

  /** Track a new binding so `disposeAll` frees it. */
  add(k: K): K {
    this.live.add(k);
    return k;
  }

  /** Free one binding. */
  release(k: K): void {
    k.dispose();
    this.live.delete(k);
  }

  /** Free every binding; from now on `check` throws. */
  disposeAll(): void {
    for (const k of this.live) k.dispose();
    this.live.clear();
    this.disposed = true;
  }
}
