// The counter's loss and gradient over blocks of samples, for the threads prototype (src/threads/):
// built into build/elman.threads.wasm with the core (asconfig.threads.json: shared, imported memory),
// one instance per thread over one memory. Each block's sums depend only on the block, never on which
// thread ran it, so after the host sums the blocks in order the result is the same bits for any thread
// count. Per sample, in f32: s[k] = x[k]·wx + s[k-1]·wRec, e = s[T] − t, d = c·e; gx = Σk d·wRec^(T−k)·x[k−1],
// gRec = Σk d·wRec^(T−k)·s[k−1]. Per block, in f64: Σ e², Σ gx, Σ gRec over its samples in order of 4 lanes.

// @ts-ignore: decorator
@inline function sumLanes(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/**
 * Blocks b0..b1−1 of `block` samples each (the last may be short) of x f32[T][n], t f32[n]: block j's
 * f64[3] = [Σ e², ∂/∂wx, ∂/∂wRec] at out + 24·j. scratch: f32x4[T+1] of this thread's own.
 */
export function counterBlocks(x: usize, t: usize, n: i32, T: i32, block: i32, b0: i32, b1: i32, wx: f32, wRec: f32, c: f32, scratch: usize, out: usize): void {
  const stride = <usize>n << 2;
  const vwx = f32x4.splat(wx), vwr = f32x4.splat(wRec), vc = f32x4.splat(c);
  for (let j = b0; j < b1; j++) {
    const i0 = j * block, i1 = min(n, i0 + block);
    let loss: f64 = 0, gx: f64 = 0, gr: f64 = 0;
    let i = i0;
    for (; i + 4 <= i1; i += 4) {
      const col = <usize>i << 2;
      let s = f32x4.splat(0);
      v128.store(scratch, s);
      for (let k = 1; k <= T; k++) {
        s = f32x4.add(f32x4.mul(v128.load(x + <usize>(k - 1) * stride + col), vwx), f32x4.mul(s, vwr));
        v128.store(scratch + (<usize>k << 4), s);
      }
      const e = f32x4.sub(s, v128.load(t + col));
      let d = f32x4.mul(vc, e);
      let ax = f32x4.splat(0), ar = ax;
      for (let k = T; k >= 1; k--) {
        ax = f32x4.add(ax, f32x4.mul(d, v128.load(x + <usize>(k - 1) * stride + col)));
        ar = f32x4.add(ar, f32x4.mul(d, v128.load(scratch + (<usize>(k - 1) << 4))));
        d = f32x4.mul(d, vwr);
      }
      loss += sumLanes(f32x4.mul(e, e));
      gx += sumLanes(ax);
      gr += sumLanes(ar);
    }
    // The block's last samples one at a time, the same operations on one lane.
    for (; i < i1; i++) {
      const col = <usize>i << 2;
      let s: f32 = 0;
      store<f32>(scratch, s);
      for (let k = 1; k <= T; k++) {
        s = load<f32>(x + <usize>(k - 1) * stride + col) * wx + s * wRec;
        store<f32>(scratch + (<usize>k << 4), s);
      }
      const e = s - load<f32>(t + col);
      let d = c * e;
      let ax: f32 = 0, ar: f32 = 0;
      for (let k = T; k >= 1; k--) {
        ax += d * load<f32>(x + <usize>(k - 1) * stride + col);
        ar += d * load<f32>(scratch + (<usize>(k - 1) << 4));
        d *= wRec;
      }
      loss += <f64>(e * e);
      gx += <f64>ax;
      gr += <f64>ar;
    }
    const o = out + <usize>j * 24;
    store<f64>(o, loss);
    store<f64>(o, gx, 8);
    store<f64>(o, gr, 16);
  }
}
