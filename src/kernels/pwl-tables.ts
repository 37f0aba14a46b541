/**
 * An MLP [1, H, H, 1] (psi*: x_j → message) as the piecewise-linear function of x it is. Unit k of
 * h1 = relu(w0_k x + b0_k) switches at x = −b0_k / w0_k (on going up when w0_k > 0, off when
 * w0_k < 0); units with w0_k = 0 never switch. Between the sorted breakpoints (nI ≤ H + 1 intervals)
 * h1 = alpha_j (x − c_j) + gamma_j and z2 = W1 h1 + b1 = A_j (x − c_j) + Z_j, so the forward pass is
 * y = wOut · relu(A_j dx + Z_j) + bOut with dx = x − c_j: H multiply-adds instead of H².
 * Computed in float64, stored in float32; centres c_j: midpoints of the finite intervals, the end
 * breakpoints for the two unbounded ones. The same tables as the native addon's (native/src/pwl.c).
 */

/** The tables, laid out in one Float32Array: t [H], c [H + 1], then A, Z, alpha, gamma, mask [nI, H] each. */
export interface PwlTables {
  /** Number of intervals (breakpoints + 1). */
  nI: number;
  /** Breakpoints ascending, padded with +inf to H. */
  t: Float32Array;
  c: Float32Array;
  A: Float32Array;
  Z: Float32Array;
  alpha: Float32Array;
  gamma: Float32Array;
  /** 1 for the units of h1 active on interval j, else 0. */
  mask: Float32Array;
}

/** Floats of a table block for width H (pwlTables lays the tables out in that many). */
export function pwlFloats(H: number): number {
  return H + (H + 1) + 5 * (H + 1) * H;
}

/**
 * The tables of the MLP with first layer (w0 [H], b0 [H]) and second layer (W1 [H, H] rows o, b1 [H]),
 * laid out in mem (pwlFloats(H) floats, e.g. an engine buffer).
 */
export function pwlTables(
  mem: Float32Array,
  H: number,
  w0: ArrayLike<number>,
  b0: ArrayLike<number>,
  W1: ArrayLike<number>,
  b1: ArrayLike<number>,
): PwlTables {
  const tab = (H + 1) * H;
  const at = (o: number, n: number) => mem.subarray(o, o + n);
  const T: PwlTables = {
    nI: 0,
    t: at(0, H),
    c: at(H, H + 1),
    A: at(2 * H + 1, tab),
    Z: at(2 * H + 1 + tab, tab),
    alpha: at(2 * H + 1 + 2 * tab, tab),
    gamma: at(2 * H + 1 + 3 * tab, tab),
    mask: at(2 * H + 1 + 4 * tab, tab),
  };
  const tk = new Float64Array(H);
  const active = new Uint8Array(H);
  const order: number[] = [];
  for (let k = 0; k < H; k++) {
    tk[k] = w0[k] !== 0 ? -b0[k] / w0[k] : Number.NaN;
    if (w0[k] !== 0) order.push(k);
    active[k] = w0[k] === 0 ? Number(b0[k] > 0) : Number(w0[k] < 0); // as x → −∞
  }
  order.sort((p, q) => tk[p] - tk[q] || p - q);
  const m = order.length;
  // z2 = A x + B on the current interval.
  const A = new Float64Array(H);
  const B = Float64Array.from({ length: H }, (_, o) => b1[o]);
  const cross = (k: number, s: number) => {
    for (let o = 0; o < H; o++) {
      A[o] += s * w0[k] * W1[o * H + k];
      B[o] += s * b0[k] * W1[o * H + k];
    }
  };
  for (let k = 0; k < H; k++) if (active[k]) cross(k, 1);
  for (let j = 0; j <= m; j++) {
    const c = m === 0 ? 0 : j === 0 ? tk[order[0]] : j === m ? tk[order[m - 1]] : 0.5 * (tk[order[j - 1]] + tk[order[j]]);
    const cf = Math.fround(c);
    T.c[j] = cf;
    for (let o = 0; o < H; o++) {
      T.A[j * H + o] = A[o];
      T.Z[j * H + o] = A[o] * cf + B[o];
    }
    for (let k = 0; k < H; k++) {
      T.alpha[j * H + k] = active[k] ? w0[k] : 0;
      T.gamma[j * H + k] = active[k] ? w0[k] * cf + b0[k] : 0;
      T.mask[j * H + k] = active[k];
    }
    if (j === m) break;
    const k = order[j]; // cross breakpoint j going up
    active[k] = Number(w0[k] > 0);
    cross(k, w0[k] > 0 ? 1 : -1);
  }
  T.nI = m + 1;
  for (let i = 0; i < H; i++) T.t[i] = i < m ? tk[order[i]] : Number.POSITIVE_INFINITY;
  return T;
}
