/** Ordinary least squares y ≈ slope·x + intercept, with R² = 1 − SS_res / SS_tot (float64 sums). */
export interface OlsFit {
  slope: number;
  intercept: number;
  r2: number;
  n: number;
}

/** OLS over the pairs (x[k], y[k]) for which `keep(k)` is true (all by default). */
export function olsFit(x: ArrayLike<number>, y: ArrayLike<number>, keep?: (k: number) => boolean): OlsFit {
  if (x.length !== y.length) throw new Error(`olsFit: x has ${x.length} values, y has ${y.length}`);
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let k = 0; k < x.length; k++) {
    if (keep && !keep(k)) continue;
    n++;
    sx += x[k];
    sy += y[k];
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let k = 0; k < x.length; k++) {
    if (keep && !keep(k)) continue;
    const dx = x[k] - mx;
    const dy = y[k] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : Number.NaN;
  const intercept = my - slope * mx;
  // SS_res = syy − slope·sxy for the least-squares line.
  const r2 = syy > 0 && sxx > 0 ? 1 - (syy - slope * sxy) / syy : Number.NaN;
  return { slope, intercept, r2, n };
}

/** OLS of learned against true W [N, N] over the off-diagonal entries (x = true, y = learned). */
export function connectivityFit(learned: ArrayLike<number>, truth: ArrayLike<number>, N: number): OlsFit {
  return olsFit(truth, learned, (k) => k % (N + 1) !== 0);
}
