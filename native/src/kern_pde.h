/*
 * PDE_N2 / PDE_N4 explicit Euler (ngnn_pde in kernels.h), written to give the same bits as the WebAssembly
 * kernel (src/kernels/wasm/as/simulate.ts) on every ISA path: 4-lane vectors whatever the table's
 * width, separate multiplies and adds (the translation units are compiled with -ffp-contract=off),
 * the same summation order (lane l of a row's accumulator takes the columns ≡ l mod 4, then
 * (l0 + l1) + (l2 + l3)), the same rational tanh on groups of 4 and float64 tanh on the last N mod 4
 * neurons. Rows are split by thread (multiples of 4); one barrier per step.
 */

typedef float v4 __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));

NGNN_INLINE v4 v4load(const float *p) {
  v4 v;
  memcpy(&v, p, sizeof v);
  return v;
}
/** The first n < 4 floats of p, the others 0 (the zero padding of the wasm layout). */
NGNN_INLINE v4 v4loadn(const float *p, int n) {
  v4 v = {0, 0, 0, 0};
  memcpy(&v, p, (size_t)n * 4);
  return v;
}
NGNN_INLINE v4 v4splat(float x) { return (v4){x, x, x, x}; }
NGNN_INLINE v4 v4select(v4i m, v4 a, v4 b) { return (v4)((m & (v4i)a) | (~m & (v4i)b)); }
/** wasm f32x4.pmin(a, b) = b < a ? b : a, and pmax(a, b) = a < b ? b : a. */
NGNN_INLINE v4 v4pmin(v4 a, v4 b) { return v4select(b < a, b, a); }
NGNN_INLINE v4 v4pmax(v4 a, v4 b) { return v4select(a < b, b, a); }

/** tanh on 4 lanes: common.ts tanh4, operation for operation. */
NGNN_INLINE v4 pde_tanh4(v4 v) {
  const v4 clamp = v4splat((float)7.90531110763549805); // the literal as float64, then rounded, as in AssemblyScript
  const v4 x = v4pmax(v4pmin(v, clamp), -clamp);
  const v4 x2 = x * x;
  v4 p = v4splat((float)-2.76076847742355e-16);
  p = p * x2 + v4splat((float)2.00018790482477e-13);
  p = p * x2 + v4splat((float)-8.60467152213735e-11);
  p = p * x2 + v4splat((float)5.12229709037114e-8);
  p = p * x2 + v4splat((float)1.48572235717979e-5);
  p = p * x2 + v4splat((float)6.37261928875436e-4);
  p = p * x2 + v4splat((float)4.89352455891786e-3);
  p = p * x;
  v4 q = v4splat((float)1.19825839466702e-6);
  q = q * x2 + v4splat((float)1.18534705686654e-4);
  q = q * x2 + v4splat((float)2.268434632439e-3);
  q = q * x2 + v4splat((float)4.89352518554385e-3);
  const v4 r = p / q;
  const v4 av = (v4)((v4i)v & (v4i){0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff});
  return v4select(av < v4splat((float)0.0004), v, r);
}

/** t[i] = tanh(x[i]) for i in [r0, r1) (r0 a multiple of 4). */
static void pde_tanh_rows(const float *x, float *t, int r0, int r1) {
  int i = r0;
  for (; i + 4 <= r1; i += 4) {
    const v4 y = pde_tanh4(v4load(x + i));
    memcpy(t + i, &y, sizeof y);
  }
  for (; i < r1; i++) t[i] = (float)tanh((double)x[i]);
}

/** PDE_N4: t[i] = tanh((x[i] − h[i])/w[i]) and u[i] = tanh(x[i]) for i in [r0, r1) (simulate.ts transferRows). */
static void pde_transfer_rows(const float *x, const float *w, const float *h, float *t, float *u, int r0, int r1) {
  int i = r0;
  for (; i + 4 <= r1; i += 4) {
    const v4 xv = v4load(x + i);
    const v4 y = pde_tanh4((xv - v4load(h + i)) / v4load(w + i));
    const v4 z = pde_tanh4(xv);
    memcpy(t + i, &y, sizeof y);
    memcpy(u + i, &z, sizeof z);
  }
  for (; i < r1; i++) {
    t[i] = (float)tanh((double)((x[i] - h[i]) / w[i]));
    u[i] = (float)tanh((double)x[i]);
  }
}

/** m[i] = Σ_j W[i, j] t[j] for rows [r0, r1): 4 rows at a time, a 4-lane accumulator per row. */
static void pde_matvec(const float *W, int N, const float *t, float *m, int r0, int r1) {
  const int n4 = N & ~3, rest = N - n4;
  const v4 tl = rest ? v4loadn(t + n4, rest) : v4splat(0);
  int i = r0;
  for (; i + 4 <= r1; i += 4) {
    const float *w0 = W + (size_t)i * N, *w1 = w0 + N, *w2 = w1 + N, *w3 = w2 + N;
    v4 a0 = v4splat(0), a1 = a0, a2 = a0, a3 = a0;
    for (int o = 0; o < n4; o += 4) {
      const v4 tv = v4load(t + o);
      a0 = a0 + v4load(w0 + o) * tv;
      a1 = a1 + v4load(w1 + o) * tv;
      a2 = a2 + v4load(w2 + o) * tv;
      a3 = a3 + v4load(w3 + o) * tv;
    }
    if (rest) {
      a0 = a0 + v4loadn(w0 + n4, rest) * tl;
      a1 = a1 + v4loadn(w1 + n4, rest) * tl;
      a2 = a2 + v4loadn(w2 + n4, rest) * tl;
      a3 = a3 + v4loadn(w3 + n4, rest) * tl;
    }
    m[i] = (a0[0] + a0[1]) + (a0[2] + a0[3]);
    m[i + 1] = (a1[0] + a1[1]) + (a1[2] + a1[3]);
    m[i + 2] = (a2[0] + a2[1]) + (a2[2] + a2[3]);
    m[i + 3] = (a3[0] + a3[1]) + (a3[2] + a3[3]);
  }
  for (; i < r1; i++) {
    const float *wi = W + (size_t)i * N;
    v4 a = v4splat(0);
    for (int o = 0; o < n4; o += 4) a = a + v4load(wi + o) * v4load(t + o);
    if (rest) a = a + v4loadn(wi + n4, rest) * tl;
    m[i] = (a[0] + a[1]) + (a[2] + a[3]);
  }
}

/**
 * nSteps Euler steps on this thread's rows (ngnn_pde); t[par·N …] must hold the transfer, and u
 * (PDE_N4) tanh(x) (init: nSteps = 0).
 */
static void pde_steps(void *ctx, int tid, int nth) {
  const ngnn_pde *q = (const ngnn_pde *)ctx;
  const int N = q->N;
  const int r0 = (int)ngnn_slice((size_t)N, tid, nth, 4), r1 = (int)ngnn_slice((size_t)N, tid + 1, nth, 4);
  int par = q->par;
  if (q->nSteps == 0) {
    if (q->w) pde_transfer_rows(q->x, q->w, q->h, q->t + (size_t)par * N, q->u, r0, r1);
    else pde_tanh_rows(q->x, q->t + (size_t)par * N, r0, r1);
    return;
  }
  for (int k = 0; k < q->nSteps; k++) {
    const float *tCur = q->t + (size_t)par * N;
    float *tNext = q->t + (size_t)(1 - par) * N;
    pde_matvec(q->W, N, tCur, q->m, r0, r1);
    const size_t frame = (size_t)k * N;
    for (int i = r0; i < r1; i++) {
      const float xi = q->x[i];
      // The message m_i, times Ω_i(k) with an external input (simulate.ts: the same order).
      const float mi = q->omega ? q->omega[frame + i] * q->m[i] : q->m[i];
      // PDE_N4: ((−c x + b) + s tanh x) + g m, the reference's order; PDE_N2: (−c x + s tanh x) + g m.
      const float dxdt = q->w ? -q->c[i] * xi + q->b[i] + q->s[i] * q->u[i] + q->g[i] * mi
                              : -q->c[i] * xi + q->s[i] * tCur[i] + q->g[i] * mi;
      if (q->save) {
        q->outX[frame + i] = xi;
        q->outY[frame + i] = dxdt;
      }
      float xn = xi + q->dt * dxdt;
      if (q->noiseLevel > 0) xn += q->noiseLevel * q->noise[frame + i];
      q->x[i] = xn;
    }
    if (q->w) pde_transfer_rows(q->x, q->w, q->h, tNext, q->u, r0, r1);
    else pde_tanh_rows(q->x, tNext, r0, r1);
    par = 1 - par;
    ngnn_barrier_wait((ngnn_barrier *)q->barrier, nth);
  }
}
