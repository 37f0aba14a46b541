/** Small statistics helpers shared by training and evaluation. */

/** Median (mean of the middle two for an even count, as numpy.median). */
export function median(values: ArrayLike<number>): number {
  const s = Array.from(values).sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Round half to even (torch.round, numpy.round, Python round). */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** n evenly spaced values from lo to hi inclusive (numpy.linspace). */
export function linspace(lo: number, hi: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, k) => (n === 1 ? lo : lo + ((hi - lo) * k) / (n - 1)));
}

/** Mean and (population) standard deviation, float64 sums. */
export function meanStd(v: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  let ss = 0;
  for (let k = 0; k < v.length; k++) {
    s += v[k];
    ss += v[k] * v[k];
  }
  const mean = s / v.length;
  return { mean, std: Math.sqrt(Math.max(0, ss / v.length - mean * mean)) };
}

/** x rounded to 3 decimals (seconds to the millisecond in the logs and JSON files). */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
