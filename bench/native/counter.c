// The counter's fused loss-and-gradient epoch in plain C, the yardstick for the core's kernel
// (bench/counter.js): the same time-major 0/1 bytes, the same float32 arithmetic per sample
// (-ffp-contract=off: no fused multiply-adds, as WebAssembly SIMD has none), float64 sums over
// samples, every step done (no early end). Written as a user would, for the compiler to vectorise
// over samples. Usage: counter N T reps wx wRec → prints "ns_per_epoch loss gx gr".
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define G 64 // samples per block: the states of a block stay in L1 between forward and backward

static void epoch(const uint8_t *x, const float *t, int n, int T, float wx, float wr, float c, float *s, double *out) {
  double loss = 0, gx = 0, gr = 0;
  for (int i0 = 0; i0 < n; i0 += G) {
    int m = n - i0 < G ? n - i0 : G;
    float g[G], ax[G], ar[G];
    for (int i = 0; i < m; i++) s[i] = 0;
    for (int k = 1; k <= T; k++) {
      const uint8_t *xk = x + (size_t)(k - 1) * n + i0;
      float *sp = s + (size_t)(k - 1) * G, *sk = s + (size_t)k * G;
      for (int i = 0; i < m; i++) sk[i] = (float)xk[i] * wx + sp[i] * wr;
    }
    for (int i = 0; i < m; i++) {
      float e = s[(size_t)T * G + i] - t[i0 + i];
      loss += (double)(e * e);
      g[i] = c * e;
      ax[i] = 0;
      ar[i] = 0;
    }
    for (int k = T; k >= 1; k--) {
      const uint8_t *xk = x + (size_t)(k - 1) * n + i0;
      const float *sp = s + (size_t)(k - 1) * G;
      for (int i = 0; i < m; i++) {
        ax[i] += g[i] * (float)xk[i];
        ar[i] += g[i] * sp[i];
        g[i] *= wr;
      }
    }
    for (int i = 0; i < m; i++) {
      gx += ax[i];
      gr += ar[i];
    }
  }
  out[0] = loss;
  out[1] = gx;
  out[2] = gr;
}

int main(int argc, char **argv) {
  if (argc < 6) return 2;
  int n = atoi(argv[1]), T = atoi(argv[2]), reps = atoi(argv[3]);
  float wx = strtof(argv[4], 0), wr = strtof(argv[5], 0);
  uint8_t *x = malloc((size_t)n * T);
  float *t = malloc(sizeof(float) * n), *s = malloc(sizeof(float) * (size_t)(T + 1) * G);
  uint32_t r = 1;
  for (size_t i = 0; i < (size_t)n * T; i++) {
    r = r * 1664525u + 1013904223u;
    x[i] = r >> 31;
  }
  for (int i = 0; i < n; i++) {
    float c = 0;
    for (int k = 0; k < T; k++) c += x[(size_t)k * n + i];
    t[i] = c;
  }
  double out[3];
  epoch(x, t, n, T, wx, wr, 2, s, out); // warm
  struct timespec a, b;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
  for (int i = 0; i < reps; i++) epoch(x, t, n, T, wx, wr, 2, s, out);
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
  double ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / reps;
  printf("%.1f %.9g %.9g %.9g\n", ns, out[0], out[1], out[2]);
  return 0;
}
