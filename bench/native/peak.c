// The machine's no-FMA float32 peak for 4-lane vectors, the yardstick for every "% of peak": seven
// independent 4-lane multiply chains and seven independent add chains, interleaved, in GCC/Clang
// vector extensions (-ffp-contract=off keeps multiplies and adds apart, as WebAssembly SIMD has no
// FMA). Each sample times the chains between two runs of a dependent integer-multiply chain (3
// cycles a multiply, as bench/machine.js measureClock), so the cycles are counted at the clock of
// that moment. Usage: peak N → prints 7 samples of flop per cycle over N iterations of 56 flops.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef float v4 __attribute__((vector_size(16)));

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

// 8·n dependent 32-bit multiplies: 24·n cycles.
static uint32_t chain(long n, uint32_t a) {
  uint32_t x = a;
#define MUL x *= a; __asm__ volatile("" : "+r"(x)); // opaque to the compiler: it cannot fold the powers of a
  for (long i = 0; i < n; i++) {
    MUL MUL MUL MUL MUL MUL MUL MUL
  }
#undef MUL
  return x;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 20000000L;
  v4 m = {0.9999999f, 0.9999999f, 0.9999999f, 0.9999999f}, q = {1e-9f, 1e-9f, 1e-9f, 1e-9f};
  // Seven chains of each hide a 4-cycle latency at 1.75 a cycle, and with the two factors fill the
  // 16 vector registers every x86-64 has. Different starts: equal ones would let the compiler fold
  // the chains into one.
  v4 a0 = {1, 1, 1, 1}, a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5, a6 = a0 + 6;
  v4 b0 = a0 + 7, b1 = a0 + 8, b2 = a0 + 9, b3 = a0 + 10, b4 = a0 + 11, b5 = a0 + 12, b6 = a0 + 13;
  uint32_t sink = 0;
  long c = n / 4; // about as long as the float loop
  for (int s = 0; s < 7; s++) {
    double t0 = now();
    sink += chain(c, 3 + s);
    double t1 = now();
    for (long i = 0; i < n; i++) {
      __asm__ volatile("" : "+x"(m), "+x"(q)); // the factors stay in registers, unknown to the compiler
      a0 *= m; b0 += q; a1 *= m; b1 += q; a2 *= m; b2 += q;
      a3 *= m; b3 += q; a4 *= m; b4 += q; a5 *= m; b5 += q; a6 *= m; b6 += q;
    }
    double t2 = now();
    sink += chain(c, 5 + s);
    double t3 = now();
    double hz = 2.0 * 24.0 * (double)c / ((t1 - t0) + (t3 - t2));
    printf("%.4f ", 56.0 * (double)n / ((t2 - t1) * hz));
  }
  v4 sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + a6) + ((b0 + b1) + ((b2 + b3) + (b4 + b5)) + b6);
  printf("%g %u\n", (double)sum[0], sink);
  return 0;
}
