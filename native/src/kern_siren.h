/*
 * SIREN layer kernels (src/model/siren-train.ts): one affine layer with an optional sine,
 *   forward   Z = X·Wᵀ + b,  A = sin(ω₀Z) and C = ω₀cos(ω₀Z) (sine layer) or A = Z (linear);
 *   backward  G = dA ⊙ C (sine) or dA, dX = G·W, dW += Gᵀ·X, db += Σ_p G[p, :].
 * X [P, nIn], W [nOut, nIn], A, C, dA [P, nOut]. Included once per ISA by isa_template.h.
 * Forward and dX split the points, dW and db split the output rows: every element is computed
 * whole by one thread, in a fixed order, so results do not depend on the thread count.
 */

/** sin and cos of x: n = round(x/π), r = x − nπ ∈ [−π/2, π/2] (π in two parts), Taylor to r¹³ / r¹⁴, sign (−1)ⁿ. */
NGNN_INLINE void vsincos(vf x, vf *s, vf *c) {
  const vf magic = vset1(12582912.0f); /* 1.5·2²³: (y + magic) − magic rounds y to the nearest integer */
  const vf n = vsub(vadd(vmul(x, vset1(0.318309886183790672f)), magic), magic);
  vf r = vsub(x, vmul(n, vset1(3.140625f)));
  r = vsub(r, vmul(n, vset1(9.67653589793e-4f)));
  const vf half = vsub(vadd(vmul(n, vset1(0.5f)), magic), magic); /* round(n/2): n − 2·half = 0 or ±1 */
  const vf odd = vsub(n, vadd(half, half));
  const vf sign = vsub(vset1(1.0f), vadd(vmul(odd, odd), vmul(odd, odd)));
  const vf r2 = vmul(r, r);
  vf ps = vset1(1.6059043836821613e-10f); /* 1/13! */
  ps = vfma(ps, r2, vset1(-2.505210838544172e-08f));
  ps = vfma(ps, r2, vset1(2.755731922398589e-06f));
  ps = vfma(ps, r2, vset1(-1.984126984126984e-04f));
  ps = vfma(ps, r2, vset1(8.333333333333333e-03f));
  ps = vfma(ps, r2, vset1(-1.666666666666667e-01f));
  ps = vfma(ps, r2, vset1(1.0f));
  vf pc = vset1(-1.1470745597729725e-11f); /* −1/14! */
  pc = vfma(pc, r2, vset1(2.08767569878681e-09f));
  pc = vfma(pc, r2, vset1(-2.755731922398589e-07f));
  pc = vfma(pc, r2, vset1(2.48015873015873e-05f));
  pc = vfma(pc, r2, vset1(-1.388888888888889e-03f));
  pc = vfma(pc, r2, vset1(4.166666666666667e-02f));
  pc = vfma(pc, r2, vset1(-0.5f));
  pc = vfma(pc, r2, vset1(1.0f));
  *s = vmul(sign, vmul(ps, r));
  *c = vmul(sign, pc);
}

/** Scalar sin and cos by the same formula (the columns that do not fill a vector). */
static void sincos1(float x, float *s, float *c) {
  float xs[VW] = {0}, ss[VW], cs[VW];
  xs[0] = x;
  vf vs, vc;
  vsincos(vload(xs), &vs, &vc);
  vstore(ss, vs);
  vstore(cs, vc);
  *s = ss[0];
  *c = cs[0];
}

/** Activation of nv vectors of z at out (and ω₀cos at cout when given). */
NGNN_INLINE void siren_act(const ngnn_siren *q, float *out, float *cout, const vf *z, const int nv) {
  if (!q->sine) {
    for (int u = 0; u < nv; u++) vstore(out + u * VW, z[u]);
    return;
  }
  const vf w0 = vset1(q->omega0);
  for (int u = 0; u < nv; u++) {
    vf s, c;
    vsincos(vmul(w0, z[u]), &s, &c);
    vstore(out + u * VW, s);
    if (cout) vstore(cout + u * VW, vmul(w0, c));
  }
}

/** out[0 … nv·VW) (+)= Σ_{r < n} coef[r·cs]·M[r·ld + …], rows r in order. */
NGNN_INLINE void siren_comb(float *out, int add, const float *coef, size_t cs, const float *M, size_t ld, int n, const int nv) {
  vf a[8];
  for (int u = 0; u < nv; u++) a[u] = add ? vload(out + u * VW) : vzero();
  for (int r = 0; r < n; r++) {
    const vf c = vset1(coef[(size_t)r * cs]);
    const float *m = M + (size_t)r * ld;
    for (int u = 0; u < nv; u++) a[u] = vfma(c, vload(m + u * VW), a[u]);
  }
  for (int u = 0; u < nv; u++) vstore(out + u * VW, a[u]);
}

/** out[0 … len) (+)= Σ_{r < n} coef[r·cs]·M[r·ld + …] (vectors, then the columns beyond them). */
static void siren_combination(float *out, int add, const float *coef, size_t cs, const float *M, size_t ld, int n, int len) {
  const int nvAll = len / VW;
  for (int v0 = 0; v0 < nvAll; v0 += 8) {
    const int nv = nvAll - v0 < 8 ? nvAll - v0 : 8;
#define NGNN_SCOMB(NV) siren_comb(out + v0 * VW, add, coef, cs, M + v0 * VW, ld, n, NV)
    NGNN_SWITCH8(nv, NGNN_SCOMB)
#undef NGNN_SCOMB
  }
  for (int i = nvAll * VW; i < len; i++) {
    float s = add ? out[i] : 0.0f;
    for (int r = 0; r < n; r++) s += coef[(size_t)r * cs] * M[(size_t)r * ld + i];
    out[i] = s;
  }
}

/** CALL(k) with k = n as a compile-time constant for n = 1 … 4 (chunks of at most 4 vectors). */
#define NGNN_SWITCH4(n, CALL) \
  switch (n) {                \
    case 1: CALL(1); break;   \
    case 2: CALL(2); break;   \
    case 3: CALL(3); break;   \
    default: CALL(4); break;  \
  }

/**
 * Two rows at once (q < 2, or 1 when `two` is 0): acc_q[u] = init[u·VW …] + Σ_{r < n} coef_q[r]·M[r·ld + u·VW …]
 * for u < nv ≤ 4 (init NULL: 0), rows r in order; 2·nv independent FMA chains, each M vector
 * loaded once for both rows.
 */
NGNN_INLINE void siren_rows2(vf *acc0, vf *acc1, int two, const float *init, const float *coef0, const float *coef1,
                             const float *M, size_t ld, int n, const int nv) {
  for (int u = 0; u < nv; u++) acc0[u] = acc1[u] = init ? vload(init + u * VW) : vzero();
  if (two) {
    for (int r = 0; r < n; r++) {
      const vf c0 = vset1(coef0[r]), c1 = vset1(coef1[r]);
      const float *m = M + (size_t)r * ld;
      for (int u = 0; u < nv; u++) {
        const vf w = vload(m + u * VW);
        acc0[u] = vfma(c0, w, acc0[u]);
        acc1[u] = vfma(c1, w, acc1[u]);
      }
    }
  } else {
    for (int r = 0; r < n; r++) {
      const vf c0 = vset1(coef0[r]);
      const float *m = M + (size_t)r * ld;
      for (int u = 0; u < nv; u++) acc0[u] = vfma(c0, vload(m + u * VW), acc0[u]);
    }
  }
}

/** Forward of points p, p + 1 (when `two`) for columns o0 … o0 + nv·VW: Z = b + X·WT, then the activation. */
NGNN_INLINE void siren_fwd_chunk(const ngnn_siren *q, size_t p, int two, int o0, const int nv) {
  const int nIn = q->nIn, nOut = q->nOut;
  vf z0[4], z1[4];
  const float *x = q->X + p * (size_t)nIn;
  siren_rows2(z0, z1, two, q->b + o0, x, x + nIn, q->WT + o0, (size_t)nOut, nIn, nv);
  for (int k = 0; k <= two; k++) {
    const size_t at = (p + (size_t)k) * nOut + o0;
    siren_act(q, q->A + at, q->C ? q->C + at : NULL, k ? z1 : z0, nv);
  }
}

/**
 * Forward pass of this thread's points: A and C. Columns in chunks of at most 4 vectors (the
 * chunk's WT columns stay in L1 over all the points), points in pairs.
 */
static void siren_forward(void *ctx, int tid, int nth) {
  const ngnn_siren *q = (const ngnn_siren *)ctx;
  const int nIn = q->nIn, nOut = q->nOut, nvOut = nOut / VW;
  const size_t p0 = ngnn_slice((size_t)q->P, tid, nth, 4), p1 = ngnn_slice((size_t)q->P, tid + 1, nth, 4);
  for (int v0 = 0; v0 < nvOut; v0 += 4) {
    const int nv = nvOut - v0 < 4 ? nvOut - v0 : 4;
    for (size_t p = p0; p < p1; p += 2) {
      const int two = p + 1 < p1;
#define NGNN_SFWD(NV) siren_fwd_chunk(q, p, two, v0 * VW, NV)
      NGNN_SWITCH4(nv, NGNN_SFWD)
#undef NGNN_SFWD
    }
  }
  for (size_t p = p0; p < p1; p++) {
    for (int o = nvOut * VW; o < nOut; o++) { /* columns beyond the last full vector */
      float z = q->b[o];
      for (int i = 0; i < nIn; i++) z += q->X[p * (size_t)nIn + i] * q->WT[(size_t)i * nOut + o];
      float *a = q->A + p * (size_t)nOut + o;
      if (!q->sine) {
        *a = z;
        continue;
      }
      float s, c;
      sincos1(q->omega0 * z, &s, &c);
      *a = s;
      if (q->C) q->C[p * (size_t)nOut + o] = q->omega0 * c;
    }
  }
}

/** dX of points p, p + 1 (when `two`) for columns i0 … i0 + nv·VW: dX = G·W. */
NGNN_INLINE void siren_dx_chunk(const ngnn_siren *q, size_t p, int two, int i0, const int nv) {
  const int nIn = q->nIn, nOut = q->nOut;
  vf a0[4], a1[4];
  const float *g = q->dA + p * (size_t)nOut;
  siren_rows2(a0, a1, two, NULL, g, g + nOut, q->W + i0, (size_t)nIn, nOut, nv);
  for (int u = 0; u < nv; u++) {
    vstore(q->dX + p * (size_t)nIn + i0 + u * VW, a0[u]);
    if (two) vstore(q->dX + (p + 1) * (size_t)nIn + i0 + u * VW, a1[u]);
  }
}

/** Backward, this thread's points: G = dA ⊙ C in place (sine layers), then dX = G·W when wanted. */
static void siren_backward_points(void *ctx, int tid, int nth) {
  const ngnn_siren *q = (const ngnn_siren *)ctx;
  const int nIn = q->nIn, nOut = q->nOut, nvIn = nIn / VW;
  const size_t p0 = ngnn_slice((size_t)q->P, tid, nth, 4), p1 = ngnn_slice((size_t)q->P, tid + 1, nth, 4);
  if (q->C) {
    for (size_t p = p0; p < p1; p++) {
      float *g = q->dA + p * (size_t)nOut;
      const float *c = q->C + p * (size_t)nOut;
      int o = 0;
      for (; o + VW <= nOut; o += VW) vstore(g + o, vmul(vload(g + o), vload(c + o)));
      for (; o < nOut; o++) g[o] *= c[o];
    }
  }
  if (!q->dX) return;
  for (int v0 = 0; v0 < nvIn; v0 += 4) {
    const int nv = nvIn - v0 < 4 ? nvIn - v0 : 4;
    for (size_t p = p0; p < p1; p += 2) {
      const int two = p + 1 < p1;
#define NGNN_SDX(NV) siren_dx_chunk(q, p, two, v0 * VW, NV)
      NGNN_SWITCH4(nv, NGNN_SDX)
#undef NGNN_SDX
    }
  }
  for (size_t p = p0; p < p1; p++) {
    for (int i = nvIn * VW; i < nIn; i++) {
      float s = 0.0f;
      for (int o = 0; o < nOut; o++) s += q->dA[p * (size_t)nOut + o] * q->W[(size_t)o * nIn + i];
      q->dX[p * (size_t)nIn + i] = s;
    }
  }
}

/** Points per tile of the dW pass: a tile of X rows stays in L1 while every output row o reads it. */
#define NGNN_SIREN_TILE 32

/**
 * siren_backward_rows for nIn < VW: with the output rows o in vectors (slices aligned to VW),
 * s[o] = Σ_p X[p, i]·G[p, o] in p order, then dW[o, i] += s[o], and db likewise.
 */
static void siren_backward_rows_narrow(const ngnn_siren *q, int tid, int nth) {
  const int nIn = q->nIn, nOut = q->nOut, P = q->P;
  const size_t o0 = ngnn_slice((size_t)nOut, tid, nth, VW), o1 = ngnn_slice((size_t)nOut, tid + 1, nth, VW);
  for (size_t o = o0; o < o1; o += VW) {
    const int n = o1 - o < VW ? (int)(o1 - o) : VW;
    float s[VW];
    for (int i = 0; i <= nIn; i++) { /* i = nIn: the bias */
      vf acc = vzero();
      for (int p = 0; p < P; p++) {
        const vf g = vloadn(q->dA + (size_t)p * nOut + o, n);
        acc = i < nIn ? vfma(vset1(q->X[(size_t)p * nIn + i]), g, acc) : vadd(acc, g);
      }
      vstore(s, acc);
      for (int l = 0; l < n; l++) {
        if (i < nIn) q->dW[(o + l) * nIn + i] += s[l];
        else q->db[o + l] += s[l];
      }
    }
  }
}

/**
 * Backward, this thread's output rows o: dW[o, :] += Σ_p G[p, o]·X[p, :], db[o] += Σ_p G[p, o],
 * over tiles of points; each element still adds the points in order.
 */
static void siren_backward_rows(void *ctx, int tid, int nth) {
  const ngnn_siren *q = (const ngnn_siren *)ctx;
  const int nIn = q->nIn, nOut = q->nOut, P = q->P;
  if (nIn < VW) { /* narrow input (the first layer): vectors along o instead */
    siren_backward_rows_narrow(q, tid, nth);
    return;
  }
  const size_t o0 = ngnn_slice((size_t)nOut, tid, nth, 1), o1 = ngnn_slice((size_t)nOut, tid + 1, nth, 1);
  for (int t0 = 0; t0 < P; t0 += NGNN_SIREN_TILE) {
    const int n = P - t0 < NGNN_SIREN_TILE ? P - t0 : NGNN_SIREN_TILE;
    const float *X = q->X + (size_t)t0 * nIn;
    const float *G = q->dA + (size_t)t0 * nOut;
    for (size_t o = o0; o < o1; o++) {
      siren_combination(q->dW + o * (size_t)nIn, 1, G + o, (size_t)nOut, X, (size_t)nIn, n, nIn);
      float s = q->db[o];
      for (int p = 0; p < n; p++) s += G[(size_t)p * nOut + o];
      q->db[o] = s;
    }
  }
}
