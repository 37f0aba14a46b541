/**
 * Eigenvalues of a real non-symmetric matrix (no eigenvectors): reduction to upper Hessenberg form
 * by stabilised elementary similarity transforms, then the Francis double-shift QR iteration with
 * deflation. Float64 throughout. Cost ~ (5/3 + ~4) n³ flops; n = 1000 takes a few seconds.
 */

/** Eigenvalues of the n×n row-major matrix A (not modified): { re, im }, unordered. */
export function eigenvalues(A: ArrayLike<number>, n: number): { re: Float64Array; im: Float64Array } {
  const a = Float64Array.from(A as ArrayLike<number>);
  if (a.length !== n * n) throw new Error(`eigenvalues: expected ${n * n} entries, got ${a.length}`);
  hessenberg(a, n);
  return hqr(a, n);
}

/** Spectral radius max |λ|. */
export function spectralRadius(re: Float64Array, im: Float64Array): number {
  let r = 0;
  for (let i = 0; i < re.length; i++) r = Math.max(r, Math.hypot(re[i], im[i]));
  return r;
}

/** In-place reduction to upper Hessenberg form by Gaussian elimination with pivoting; zeroes below. */
function hessenberg(a: Float64Array, n: number): void {
  const y = new Float64Array(n);
  for (let m = 1; m < n - 1; m++) {
    let x = 0;
    let piv = m;
    for (let j = m; j < n; j++) {
      if (Math.abs(a[j * n + m - 1]) > Math.abs(x)) {
        x = a[j * n + m - 1];
        piv = j;
      }
    }
    if (piv !== m) {
      for (let j = m - 1; j < n; j++) {
        const t = a[piv * n + j];
        a[piv * n + j] = a[m * n + j];
        a[m * n + j] = t;
      }
      for (let j = 0; j < n; j++) {
        const t = a[j * n + piv];
        a[j * n + piv] = a[j * n + m];
        a[j * n + m] = t;
      }
    }
    if (x === 0) continue;
    // Row operations: row_i -= y_i row_m (i > m), y_i = a[i][m-1] / x.
    const rm = m * n;
    for (let i = m + 1; i < n; i++) {
      const yi = a[i * n + m - 1] / x;
      y[i] = yi;
      if (yi === 0) continue;
      a[i * n + m - 1] = 0;
      const ri = i * n;
      for (let j = m; j < n; j++) a[ri + j] -= yi * a[rm + j];
    }
    // Column operation: col_m += Σ_i y_i col_i (the inverse transform on the right).
    for (let r = 0; r < n; r++) {
      const rr = r * n;
      let s = 0;
      for (let i = m + 1; i < n; i++) s += y[i] * a[rr + i];
      a[rr + m] += s;
    }
  }
}

/** Eigenvalues of the upper Hessenberg matrix a (destroyed): Francis double-shift QR. */
function hqr(a: Float64Array, n: number): { re: Float64Array; im: Float64Array } {
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  const A = (i: number, j: number) => a[i * n + j];
  let anorm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) anorm += Math.abs(A(i, j));
  let nn = n - 1;
  let t = 0;
  let p = 0;
  let q = 0;
  let r = 0;
  let s = 0;
  let w = 0;
  let x = 0;
  let y = 0;
  let z = 0;
  while (nn >= 0) {
    let its = 0;
    let l: number;
    do {
      for (l = nn; l >= 1; l--) {
        s = Math.abs(A(l - 1, l - 1)) + Math.abs(A(l, l));
        if (s === 0) s = anorm;
        if (Math.abs(A(l, l - 1)) + s === s) {
          a[l * n + l - 1] = 0;
          break;
        }
      }
      x = A(nn, nn);
      if (l === nn) {
        wr[nn] = x + t;
        wi[nn--] = 0;
      } else {
        y = A(nn - 1, nn - 1);
        w = A(nn, nn - 1) * A(nn - 1, nn);
        if (l === nn - 1) {
          p = 0.5 * (y - x);
          q = p * p + w;
          z = Math.sqrt(Math.abs(q));
          x += t;
          if (q >= 0) {
            z = p + (p >= 0 ? Math.abs(z) : -Math.abs(z));
            wr[nn - 1] = wr[nn] = x + z;
            if (z !== 0) wr[nn] = x - w / z;
            wi[nn - 1] = wi[nn] = 0;
          } else {
            wr[nn - 1] = wr[nn] = x + p;
            wi[nn - 1] = -(wi[nn] = z);
          }
          nn -= 2;
        } else {
          if (its === 60) throw new Error("eigenvalues: QR iteration did not converge");
          if (its === 10 || its === 20 || its === 40) {
            t += x;
            for (let i = 0; i <= nn; i++) a[i * n + i] -= x;
            s = Math.abs(A(nn, nn - 1)) + Math.abs(A(nn - 1, nn - 2));
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          ++its;
          let m: number;
          for (m = nn - 2; m >= l; m--) {
            z = A(m, m);
            r = x - z;
            s = y - z;
            p = (r * s - w) / A(m + 1, m) + A(m, m + 1);
            q = A(m + 1, m + 1) - z - r - s;
            r = A(m + 2, m + 1);
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s;
            q /= s;
            r /= s;
            if (m === l) break;
            const u = Math.abs(A(m, m - 1)) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) * (Math.abs(A(m - 1, m - 1)) + Math.abs(z) + Math.abs(A(m + 1, m + 1)));
            if (u + v === v) break;
          }
          for (let i = m + 2; i <= nn; i++) {
            a[i * n + i - 2] = 0;
            if (i !== m + 2) a[i * n + i - 3] = 0;
          }
          for (let k = m; k <= nn - 1; k++) {
            if (k !== m) {
              p = A(k, k - 1);
              q = A(k + 1, k - 1);
              r = 0;
              if (k !== nn - 1) r = A(k + 2, k - 1);
              x = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (x !== 0) {
                p /= x;
                q /= x;
                r /= x;
              }
            }
            const norm = Math.sqrt(p * p + q * q + r * r);
            s = p >= 0 ? norm : -norm;
            if (s !== 0) {
              if (k === m) {
                if (l !== m) a[k * n + k - 1] = -A(k, k - 1);
              } else {
                a[k * n + k - 1] = -s * x;
              }
              p += s;
              x = p / s;
              y = q / s;
              z = r / s;
              q /= p;
              r /= p;
              const rk = k * n;
              const rk1 = rk + n;
              const rk2 = rk1 + n;
              for (let j = k; j <= nn; j++) {
                p = a[rk + j] + q * a[rk1 + j];
                if (k !== nn - 1) {
                  p += r * a[rk2 + j];
                  a[rk2 + j] -= p * z;
                }
                a[rk1 + j] -= p * y;
                a[rk + j] -= p * x;
              }
              const mmin = nn < k + 3 ? nn : k + 3;
              for (let i = l; i <= mmin; i++) {
                const ri = i * n;
                p = x * a[ri + k] + y * a[ri + k + 1];
                if (k !== nn - 1) {
                  p += z * a[ri + k + 2];
                  a[ri + k + 2] -= p * r;
                }
                a[ri + k + 1] -= p * q;
                a[ri + k] -= p;
              }
            }
          }
        }
      }
    } while (l < nn - 1);
  }
  return { re: wr, im: wi };
}
