import { ConfigError, DisposedError } from '../../errors.js';

const ALIGN = 16; // v128 loads want 16-byte alignment
const PAGE = 65536;
const MAX_BYTES = 4 * 1024 * 1024 * 1024; // wasm32 address space

/**
 * First-fit allocator over one WebAssembly.Memory, with coalescing free list.
 * TypeScript owns every byte: kernels only receive offsets handed out here.
 */
export class Arena {
  private readonly used = new Map<number, number>(); // offset -> size
  private free: Array<{ offset: number; size: number }> = [];
  private top: number;
  private buffer: ArrayBuffer | SharedArrayBuffer | undefined;
  private f32View = new Float32Array(0);
  private f64View = new Float64Array(0);
  private i32View = new Int32Array(0);
  /** Blocks taken inside each open `transaction`, innermost last: released if that transaction throws. */
  private readonly journals: Array<Set<number>> = [];

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly base: number,
  ) {
    this.top = align(base);
  }

  /**
   * Reserve `bytes` (rounded up to 16) and return the byte offset; grows memory when needed. `what`
   * names the argument the block is for (e.g. 'data', 'batchSize'): a request that does not fit in
   * WebAssembly's 4 GiB, or that the runtime refuses to grow memory for, is a ConfigError naming it.
   */
  alloc(bytes: number, what = 'bytes'): number {
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) throw new ConfigError(what, bytes, 'a byte count that is a non-negative integer');
    const size = Math.max(ALIGN, align(bytes));
    const i = this.free.findIndex((b) => b.size >= size);
    let offset: number;
    if (i >= 0) {
      const block = this.free[i]!;
      offset = block.offset;
      if (block.size === size) this.free.splice(i, 1);
      else this.free[i] = { offset: block.offset + size, size: block.size - size };
    } else {
      offset = this.top;
      const end = offset + size;
      if (end > MAX_BYTES) throw new ConfigError(what, `${bytes} bytes`, `small enough to fit in WebAssembly memory (4 GiB; ${Math.max(0, MAX_BYTES - offset)} bytes left at the top)`);
      const have = this.memory.buffer.byteLength;
      if (end > have) {
        try {
          this.memory.grow(Math.ceil((end - have) / PAGE));
          this.refresh(); // shared memory does not detach old views, so their length alone would not tell
        } catch {
          throw new ConfigError(what, `${bytes} bytes`, 'small enough for the runtime to grow WebAssembly memory');
        }
      }
      this.top = end;
    }
    this.used.set(offset, size);
    this.journals.at(-1)?.add(offset);
    return offset;
  }

  /**
   * Reserve several blocks at once, or none: a request that cannot fit in the 4 GiB address space
   * (or that the runtime refuses to grow memory for) is a ConfigError naming `what`, and every block
   * already taken for it is given back.
   */
  allocAll(sizes: readonly number[], what: string): number[] {
    let total = 0;
    for (const s of sizes) {
      if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) throw new ConfigError(what, s, 'byte counts that are non-negative integers');
      total += Math.max(ALIGN, align(s));
    }
    if (!(total <= MAX_BYTES - this.top + this.freeBytes())) {
      throw new ConfigError(what, `${total} bytes`, 'small enough to fit in WebAssembly memory (4 GiB in all)');
    }
    return this.transaction(() => sizes.map((size) => this.alloc(size, what)));
  }

  /**
   * Run `build` as one allocation: if it throws, every block it allocated and has not released is
   * given back, so a multi-block binding (with its staging work) is all-or-nothing. A nested
   * transaction that succeeds hands its blocks to the enclosing one.
   */
  transaction<T>(build: () => T): T {
    const journal = new Set<number>();
    this.journals.push(journal);
    let ok = false;
    try {
      const result = build();
      ok = true;
      return result;
    } finally {
      this.journals.pop();
      if (ok) for (const offset of journal) this.journals.at(-1)?.add(offset);
      else for (const offset of journal) if (this.used.has(offset)) this.release(offset);
    }
  }

  /** Run `use` with a temporary block of `bytes` (e.g. a staging buffer), released on every exit path. */
  withBlock<T>(bytes: number, what: string, use: (offset: number) => T): T {
    const offset = this.alloc(bytes, what);
    try {
      return use(offset);
    } finally {
      this.release(offset);
    }
  }

  /** Give a block back; neighbouring free blocks merge so memory stays bounded under churn. */
  release(offset: number): void {
    const size = this.used.get(offset);
    if (size === undefined) throw new DisposedError(`arena block ${offset}`);
    this.used.delete(offset);
    for (const journal of this.journals) journal.delete(offset);
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid]!.offset < offset) lo = mid + 1;
      else hi = mid;
    }
    this.free.splice(lo, 0, { offset, size });
    const next = this.free[lo + 1];
    if (next && offset + size === next.offset) {
      this.free[lo]!.size += next.size;
      this.free.splice(lo + 1, 1);
    }
    const prev = this.free[lo - 1];
    if (prev && prev.offset + prev.size === offset) {
      prev.size += this.free[lo]!.size;
      this.free.splice(lo, 1);
      lo--;
    }
    const last = this.free[this.free.length - 1];
    if (last && last.offset + last.size === this.top) {
      this.top = last.offset;
      this.free.pop();
    }
  }

  private freeBytes(): number {
    let total = 0;
    for (const b of this.free) total += b.size;
    return total;
  }

  /** Bytes handed out and not yet released. */
  get bytesInUse(): number {
    let total = 0;
    for (const size of this.used.values()) total += size;
    return total;
  }

  /** A Float32Array over all of memory, re-made whenever memory.grow detached the old one. */
  get f32(): Float32Array {
    // A detached view has length 0: only then look at memory.buffer again (an accessor that costs more than the check).
    if (this.f32View.length === 0) this.refresh();
    return this.f32View;
  }

  /** A Float64Array over all of memory, re-made whenever memory.grow detached the old one. */
  get f64(): Float64Array {
    if (this.f64View.length === 0) this.refresh();
    return this.f64View;
  }

  /** An Int32Array over all of memory (parameter blocks), re-made whenever memory.grow detached the old one. */
  get i32(): Int32Array {
    if (this.i32View.length === 0) this.refresh();
    return this.i32View;
  }

  private refresh(): void {
    const buffer = this.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.f32View = new Float32Array(buffer);
      this.f64View = new Float64Array(buffer);
      this.i32View = new Int32Array(buffer);
    }
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
