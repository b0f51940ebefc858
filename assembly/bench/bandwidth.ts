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
