"""Fit the rational tanh of assembly/activations.ts: tanh(x) ~ x * P(x^2) / Q(x^2) on [0, 9].

Run: python3 assembly/bench/fit_tanh.py   (numpy). Degree 4 over 4 in z = x^2 with P(0) = Q(0) = 1;
Lawson's iteratively reweighted least squares toward the minimax relative error (linearised:
P - f*Q = 0 weighted by 1 / (f * Q_previous)), in u = z / 81 for conditioning. Prints the
coefficients in z rounded to float32 and the error of the float32 evaluation (Horner, the kernel's
order) against float64 tanh over a dense grid and every binade.
"""

import numpy as np

C = 9.0
S = C * C
DP, DQ = 4, 4


def fit(iters=200):
    x = np.concatenate([np.linspace(1e-3, 1, 3000), np.linspace(1, C, 6000)])
    u = x * x / S
    f = np.tanh(x) / x
    w = np.ones_like(x) / len(x)
    qprev = np.ones_like(x)
    best = None
    for _ in range(iters):
        a = np.hstack([np.vstack([u**k for k in range(1, DP + 1)]).T, -(f[:, None] * np.vstack([u**k for k in range(1, DQ + 1)]).T)])
        wt = np.sqrt(w) / (f * np.abs(qprev))
        sol, *_ = np.linalg.lstsq(a * wt[:, None], (f - 1) * wt, rcond=None)
        p = np.concatenate([[1], sol[:DP]])
        q = np.concatenate([[1], sol[DP:]])
        qprev = np.polyval(q[::-1], u)
        err = np.abs(x * np.polyval(p[::-1], u) / qprev / np.tanh(x) - 1)
        if best is None or err.max() < best[2]:
            best = (p, q, err.max())
        w = w * err
        w /= w.sum()
    p, q, _ = best
    return (p / S ** np.arange(DP + 1)).astype(np.float32), (q / S ** np.arange(DQ + 1)).astype(np.float32)


def tanh32(p, q, x):
    f = np.float32
    a = np.minimum(np.abs(x), f(C))
    z = a * a
    pp, qq = p[-1] * z + p[-2], q[-1] * z + q[-2]
    for k in range(len(p) - 3, -1, -1):
        pp, qq = pp * z + p[k], qq * z + q[k]
    return np.copysign(np.minimum(a * pp / qq, f(1)), x)


def main():
    p, q = fit()
    print("P:", ", ".join("%.9e" % v for v in p))
    print("Q:", ", ".join("%.9e" % v for v in q))
    xs = np.concatenate([np.linspace(-40, 40, 4000001), 10 ** np.linspace(-45, 38.5, 100001)]).astype(np.float32)
    xs = np.concatenate([xs, -xs])
    t = np.tanh(xs.astype(np.float64))
    e = np.abs(tanh32(p, q, xs).astype(np.float64) - t)
    nz = t != 0
    print("max abs error %.3e, max relative error %.3e" % (e.max(), (e[nz] / np.abs(t[nz])).max()))


if __name__ == "__main__":
    main()
