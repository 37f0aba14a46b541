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
  return fitFromMoments(n, mx, my, sxx, sxy, syy);
}

/** The line and R² from n, the means and the centred second moments. */
function fitFromMoments(n: number, mx: number, my: number, sxx: number, sxy: number, syy: number): OlsFit {
  const slope = sxx > 0 ? sxy / sxx : Number.NaN;
  const intercept = my - slope * mx;
  // SS_res = syy − slope·sxy for the least-squares line.
  const r2 = syy > 0 && sxx > 0 ? 1 - (syy - slope * sxy) / syy : Number.NaN;
  return { slope, intercept, r2, n };
}

/**
 * OLS of learned against true W [N, N] over the off-diagonal entries (x = true, y = learned): the
 * numbers of olsFit with keep = off-diagonal (same order of summation), without a callback per
 * entry (training evaluates it every few iterations: ~20× faster at N = 1000).
 */
export function connectivityFit(learned: ArrayLike<number>, truth: ArrayLike<number>, N: number): OlsFit {
  if (learned.length !== N * N || truth.length !== N * N) {
    throw new Error(`connectivityFit: expected ${N * N} values, got ${learned.length} learned and ${truth.length} true`);
  }
  // Row i's off-diagonal entries: k in [iN, iN + i) then (iN + i, iN + N).
  const s = { sx: 0, sy: 0 };
  for (let i = 0; i < N; i++) {
    sums(truth, learned, i * N, i * N + i, s);
    sums(truth, learned, i * N + i + 1, i * N + N, s);
  }
  const n = N * (N - 1);
  const mx = s.sx / n;
  const my = s.sy / n;
  const m = { sxx: 0, sxy: 0, syy: 0 };
  for (let i = 0; i < N; i++) {
    centredMoments(truth, learned, i * N, i * N + i, mx, my, m);
    centredMoments(truth, learned, i * N + i + 1, i * N + N, mx, my, m);
  }
  return fitFromMoments(n, mx, my, m.sxx, m.sxy, m.syy);
}

/** s += Σ_{k0 ≤ k < k1} (x[k], y[k]), in order of k. */
function sums(x: ArrayLike<number>, y: ArrayLike<number>, k0: number, k1: number, s: { sx: number; sy: number }): void {
  let { sx, sy } = s;
  for (let k = k0; k < k1; k++) {
    sx += x[k];
    sy += y[k];
  }
  s.sx = sx;
  s.sy = sy;
}

/** m += Σ_{k0 ≤ k < k1} (dx², dx·dy, dy²), dx = x[k] − mx, dy = y[k] − my, in order of k. */
function centredMoments(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  k0: number,
  k1: number,
  mx: number,
  my: number,
  m: { sxx: number; sxy: number; syy: number },
): void {
  let { sxx, sxy, syy } = m;
  for (let k = k0; k < k1; k++) {
    const dx = x[k] - mx;
    const dy = y[k] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  m.sxx = sxx;
  m.sxy = sxy;
  m.syy = syy;
}
