// The machine's no-FMA float32 peak for 4-lane vectors, the yardstick for every "% of peak": seven
// independent 4-lane multiply chains and seven independent add chains, interleaved, in GCC/Clang
// vector extensions (any target; -ffp-contract=off keeps multiplies and adds apart, as WebAssembly
// SIMD has no FMA). Usage: peak N → prints "flop_per_second" over N iterations of 56 flops, on
// this thread's CPU clock.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef float v4 __attribute__((vector_size(16)));

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 100000000L;
  v4 m = {0.9999999f, 0.9999999f, 0.9999999f, 0.9999999f}, q = {1e-9f, 1e-9f, 1e-9f, 1e-9f};
  // Seven chains of each hide a 4-cycle latency at 1.75 a cycle, and with the two factors fill the
  // 16 vector registers every x86-64 has. Different starts: equal ones would let the compiler fold
  // the chains into one.
  v4 a0 = {1, 1, 1, 1}, a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5, a6 = a0 + 6;
  v4 b0 = a0 + 7, b1 = a0 + 8, b2 = a0 + 9, b3 = a0 + 10, b4 = a0 + 11, b5 = a0 + 12, b6 = a0 + 13;
  struct timespec t0, t1;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
  for (long i = 0; i < n; i++) {
    __asm__ volatile("" : "+x"(m), "+x"(q)); // the factors stay in registers, unknown to the compiler
    a0 *= m; b0 += q; a1 *= m; b1 += q; a2 *= m; b2 += q;
    a3 *= m; b3 += q; a4 *= m; b4 += q; a5 *= m; b5 += q; a6 *= m; b6 += q;
  }
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
  v4 s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + a6) + ((b0 + b1) + ((b2 + b3) + (b4 + b5)) + b6);
  double sec = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
  printf("%.6g %g\n", 56.0 * (double)n / sec, (double)s[0]);
  return 0;
}
