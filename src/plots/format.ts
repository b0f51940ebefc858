// One number format for every figure: plain decimals in [1e-3, 1e4), short exponents outside ("1e-7", "2.5e6").

/** `v` in at most `digits` significant digits: "0.0123", "12.3", "1.2e5", "-3e-7", "0". */
export function formatNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  // Round first, so 9999 at 3 digits is 1e4, formatted as the 1e4 it became.
  const r = Number(v.toPrecision(digits));
  if (r === 0) return '0';
  const a = Math.abs(r);
  if (a >= 1e-3 && a < 1e4) return String(r);
  const [m, e] = r.toExponential(digits - 1).split('e');
  return `${String(Number(m))}e${Number(e)}`;
}

/** The same format as a Vega expression on `datum.value`, for axis labels (`labelExpr`); d3's − becomes -, as in formatNumber. */
export const LABEL_EXPR =
  "replace(datum.value == 0 ? '0' : abs(datum.value) >= 1e-3 && abs(datum.value) < 1e4 ? format(datum.value, '~r') : replace(replace(format(datum.value, '~e'), 'e+', 'e'), 'e-0', 'e-'), '\u2212', '-')";
