"""Fit the sigmoid of assembly/activations.ts: 1 / (1 + 2^n * P(s)), P(s) ~ e^-s on |s| <= ln2/2.

Run: python3 assembly/bench/fit_sigmoid.py   (numpy). P(s) = 1 - s + s^2 * (a2 + a3 s + a4 s^2 + a5 s^3 + a6 s^4),
degree 6 with P(0) = 1 and P'(0) = -1 fixed; Lawson's iteratively reweighted least squares toward the minimax
relative error against e^-s. Prints the coefficients rounded to float32 and the error of the float32 evaluation
(the kernel's operations in its order; numpy's float32 arithmetic rounds as WebAssembly's does, no fused
multiply-add) against the float64 logistic function over a dense grid, every binade and the edges.
"""

import numpy as np

f32 = np.float32
HALF = 0.3467  # ln2/2 and a little: s = x + n*ln2 may pass ln2/2 by the rounding of x*log2e
DEG = 6
X_HI, X_LO, NLOG2E, ROUND = f32(87), f32(-88.72), f32(-1.44269504088896341), f32(12582912 + 127)
LN2_HI, LN2_LO = f32(0.693359375), f32(-2.12194440e-4)


def fit(iters=300):
    s = np.linspace(-HALF, HALF, 20001)
    f = np.exp(-s)
    a = np.vstack([s**k for k in range(2, DEG + 1)]).T
    w = np.ones_like(s) / len(s)
    best = None
    for _ in range(iters):
        wt = np.sqrt(w) / f
        c, *_ = np.linalg.lstsq(a * wt[:, None], (f - (1 - s)) * wt, rcond=None)
        err = np.abs((1 - s + a @ c) / f - 1)
        if best is None or err.max() < best[1]:
            best = (c, err.max())
        w = w * err
        w /= w.sum()
    return best[0].astype(f32), best[1]


def sigmoid32(c, x):
    a2, a3, a4, a5, a6 = c
    u = np.maximum(np.minimum(x, X_HI), X_LO)
    t = u * NLOG2E + ROUND  # its low bits hold n + 127
    n = t - ROUND
    s = (u + n * LN2_HI) + n * LN2_LO
    s2 = s * s
    s4 = s2 * s2
    q1, q2 = a3 * s + a2, a5 * s + a4
    q3 = q2 + s2 * a6
    p = ((s2 * q1 - s) + s4 * q3) + f32(1)
    two = (t.view(np.int32) << 23).view(f32)
    return f32(1) / (f32(1) + p * two)


def main():
    c, e = fit()
    print("a2..a6:", ", ".join("%.10e" % v for v in c), " (minimax relative error of P: %.2e)" % e)
    xs = np.concatenate([np.linspace(-90, 90, 4000001), 10 ** np.linspace(-45, 38.5, 100001)]).astype(f32)
    xs = np.concatenate([xs, -xs, np.array([0, np.inf, -np.inf], f32)])
    with np.errstate(over="ignore"):
        y = sigmoid32(c, xs).astype(np.float64)
        t = 1 / (1 + np.exp(-xs.astype(np.float64)))
    normal = t >= 1.1754944e-38
    rel = np.abs(y[normal] - t[normal]) / t[normal]
    print("max relative error %.3e (at x = %.7g) where the logistic is a normal float32; max absolute error %.3e below"
          % (rel.max(), xs[normal][rel.argmax()], np.abs(y[~normal] - t[~normal]).max()))
    print("sigmoid(0), (inf), (-inf):", y[-3:])


if __name__ == "__main__":
    main()
