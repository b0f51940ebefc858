// Memory bandwidth probes for `npm run bench` (built separately; not part of the core):
// a read loop and a copy loop over 64 bytes per iteration, in the core's own instruction set.

/** XOR of every 16-byte word of [p, p + bytes): forces each byte to be read once. */
export function readAll(p: usize, bytes: usize): i32 {
  let a = i32x4.splat(0), b = a, c = a, d = a;
  for (let i: usize = 0; i < bytes; i += 64) {
    a = v128.xor(a, v128.load(p + i));
    b = v128.xor(b, v128.load(p + i, 16));
    c = v128.xor(c, v128.load(p + i, 32));
    d = v128.xor(d, v128.load(p + i, 48));
  }
  return i32x4.extract_lane(v128.xor(v128.xor(a, b), v128.xor(c, d)), 0);
}

/** Copy `bytes` (a multiple of 64) from src to dst, 16 bytes per load and store. */
export function copy(dst: usize, src: usize, bytes: usize): void {
  for (let i: usize = 0; i < bytes; i += 64) {
    v128.store(dst + i, v128.load(src + i));
    v128.store(dst + i, v128.load(src + i, 16), 16);
    v128.store(dst + i, v128.load(src + i, 32), 32);
    v128.store(dst + i, v128.load(src + i, 48), 48);
  }
}

/**
 * 8·n dependent 32-bit multiplies on one register: three cycles each on AMD Zen 1–5 and Intel
 * since Nehalem, so the core's clock is 24·n / time. The loop counter runs beside the chain.
 */
export function clockChain(n: i32, a: i32): i32 {
  let x = a;
  for (let i = 0; i < n; i++) {
    x *= a; x *= a; x *= a; x *= a; x *= a; x *= a; x *= a; x *= a;
  }
  return x;
}

/**
 * The no-FMA float32 peak: n iterations of 8 × (6 independent 4-lane multiplies and 6 independent
 * 4-lane adds): 384 flops. Six chains of each hide a 4-cycle latency at 1.5 per cycle, and with the
 * two factors they fit V8's 16 vector registers (more would spill); the factors are arguments, as a
 * constant splat is rebuilt inside the loop, and V8 re-broadcasts them once per iteration, hence 8×.
 */
export function peakChain(n: i32, s: f32, mul: f32, add: f32): f32 {
  const m = f32x4.splat(mul), q = f32x4.splat(add);
  let a0 = f32x4.splat(s), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
  let b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
  for (let i = 0; i < n; i++) {
    a0 = f32x4.mul(a0, m); b0 = f32x4.add(b0, q); a1 = f32x4.mul(a1, m); b1 = f32x4.add(b1, q);
    a2 = f32x4.mul(a2, m); b2 = f32x4.add(b2, q); a3 = f32x4.mul(a3, m); b3 = f32x4.add(b3, q);
    a4 = f32x4.mul(a4, m); b4 = f32x4.add(b4, q); a5 = f32x4.mul(a5, m); b5 = f32x4.add(b5, q);
    a0 = f32x4.mul(a0, m); b0 = f32x4.add(b0, q); a1 = f32x4.mul(a1, m); b1 = f32x4.add(b1, q);
    a2 = f32x4.mul(a2, m); b2 = f32x4.add(b2, q); a3 = f32x4.mul(a3, m); b3 = f32x4.add(b3, q);
    a4 = f32x4.mul(a4, m); b4 = f32x4.add(b4, q); a5 = f32x4.mul(a5, m); b5 = f32x4.add(b5, q);
    a0 = f32x4.mul(a0, m); b0 = f32x4.add(b0, q); a1 = f32x4.mul(a1, m); b1 = f32x4.add(b1, q);
    a2 = f32x4.mul(a2, m); b2 = f32x4.add(b2, q); a3 = f32x4.mul(a3, m); b3 = f32x4.add(b3, q);
    a4 = f32x4.mul(a4, m); b4 = f32x4.add(b4, q); a5 = f32x4.mul(a5, m); b5 = f32x4.add(b5, q);
    a0 = f32x4.mul(a0, m); b0 = f32x4.add(b0, q); a1 = f32x4.mul(a1, m); b1 = f32x4.add(b1, q);
    a2 = f32x4.mul(a2, m); b2 = f32x4.add(b2, q); a3 = f32x4.mul(a3, m); b3 = f32x4.add(b3, q);
    a4 = f32x4.mul(a4, m); b4 = f32x4.add(b4, q); a5 = f32x4.mul(a5, m); b5 = f32x4.add(b5, q);
    a0 = f32x4.mul(a0, m); b0 = f32x4.add(b0, q); a1 = f32x4.mul(a1, m); b1 = f32x4.add(b1, q);
    a2 = f32x4.mul(a2, m); b2 = f32x4.add(b2, q); a3 = f32x4.mul(a3, m); b3 = f32x4.add(b3, q);
    a4 = f32x4.mul(a4, m); b4 = f32x4.add(b4, q); a5 = f32x4.mul(a5, m); b5 = f32x4.add(b5, q);
    a0 = f32x4.mul(a0, m); b0 = f32x4.add(b0, q); a1 = f32x4.mul(a1, m); b1 = f32x4.add(b1, q);
    a2 = f32x4.mul(a2, m); b2 = f32x4.add(b2, q); a3 = f32x4.mul(a3, m); b3 = f32x4.add(b3, q);
    a4 = f32x4.mul(a4, m); b4 = f32x4.add(b4, q); a5 = f32x4.mul(a5, m); b5 = f32x4.add(b5, q);
    a0 = f32x4.mul(a0, m); b0 = f32x4.add(b0, q); a1 = f32x4.mul(a1, m); b1 = f32x4.add(b1, q);
    a2 = f32x4.mul(a2, m); b2 = f32x4.add(b2, q); a3 = f32x4.mul(a3, m); b3 = f32x4.add(b3, q);
    a4 = f32x4.mul(a4, m); b4 = f32x4.add(b4, q); a5 = f32x4.mul(a5, m); b5 = f32x4.add(b5, q);
    a0 = f32x4.mul(a0, m); b0 = f32x4.add(b0, q); a1 = f32x4.mul(a1, m); b1 = f32x4.add(b1, q);
    a2 = f32x4.mul(a2, m); b2 = f32x4.add(b2, q); a3 = f32x4.mul(a3, m); b3 = f32x4.add(b3, q);
    a4 = f32x4.mul(a4, m); b4 = f32x4.add(b4, q); a5 = f32x4.mul(a5, m); b5 = f32x4.add(b5, q);
  }
  const a = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(a4, a5));
  const b = f32x4.add(f32x4.add(f32x4.add(b0, b1), f32x4.add(b2, b3)), f32x4.add(b4, b5));
  return f32x4.extract_lane(f32x4.add(a, b), 0);
}
