/*
 * The kernels on W [N, N] (row i = receiving neuron): the message product, its backward fused with
 * W's Adam step, and Adam. Included once per ISA by isa_template.h, after simd.h. Any N: the last
 * partial vector of a row goes through the same lane operations on a zero-padded load.
 */

/** M[b0+u, i] = Σ_{j≠i} W[i, j] P[b0+u, j] for u < nb (the diagonal's lane zeroed in W's vector). */
NGNN_INLINE void msg_row(const ngnn_msg *q, int i, int b0, const int nb) {
  const int N = q->N;
  const float *w = q->W + (size_t)i * N;
  const float *P = q->P + (size_t)b0 * N;
  const int cd = i - i % VW; // the vector holding the diagonal
  vf acc[8];
  for (int u = 0; u < nb; u++) acc[u] = vzero();
  int c = 0;
  for (; c + VW <= N; c += VW) {
    vf wv = vload(w + c);
    if (c == cd) wv = vzero_lane(wv, i - c);
    for (int u = 0; u < nb; u++) acc[u] = vfma(wv, vload(P + (size_t)u * N + c), acc[u]);
  }
  if (c < N) {
    const int n = N - c;
    vf wv = vloadn(w + c, n);
    if (c == cd) wv = vzero_lane(wv, i - c);
    for (int u = 0; u < nb; u++) acc[u] = vfma(wv, vloadn(P + (size_t)u * N + c, n), acc[u]);
  }
  for (int u = 0; u < nb; u++) q->M[(size_t)(b0 + u) * N + i] = vhsum(acc[u]);
}

/** Messages M = P Wᵀ without the diagonal, this thread's rows i (frames in groups of 8). */
static void messages(void *ctx, int tid, int nth) {
  const ngnn_msg *q = (const ngnn_msg *)ctx;
  const int r0 = (int)ngnn_slice((size_t)q->N, tid, nth, 1), r1 = (int)ngnn_slice((size_t)q->N, tid + 1, nth, 1);
  for (int i = r0; i < r1; i++) {
    for (int b0 = 0; b0 < q->B; b0 += 8) {
      const int nb = q->B - b0 < 8 ? q->B - b0 : 8;
#define NGNN_MSG(NB) msg_row(q, i, b0, NB)
      NGNN_SWITCH8(nb, NGNN_MSG)
#undef NGNN_MSG
    }
  }
}

/**
 * p ← p − step·m / (√v / sqrtBc2 + eps) after m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g². Returns p.
 * √v / sqrtBc2 is taken as √v · (1 / sqrtBc2): one square root and one division per element (the
 * divider, not memory, bounds this loop).
 */
NGNN_INLINE vf adam_vec(const float *k, vf p, vf g, vf *m, vf *v) {
  // k = {step, beta1, 1 − beta1, beta2, 1 − beta2, eps, 1 / sqrtBc2}
  *m = vfma(vset1(k[1]), *m, vmul(vset1(k[2]), g));
  *v = vfma(vset1(k[3]), *v, vmul(vset1(k[4]), vmul(g, g)));
  const vf den = vfma(vsqrt(*v), vset1(k[6]), vset1(k[5]));
  return vsub(p, vdiv(vmul(vset1(k[0]), *m), den));
}

/**
 * Rows i … i+R−1 of W, columns c … c+n−1 (n = VW unless `part`): per row r, with g_b = G[b, i+r],
 *   dw = Σ_b g_b P[b, c…] (b in order),   dP[b, c…] += g_b W[i+r, c…] (rows in order),
 * the diagonal excluded from both; then dW = dw, or W's Adam step with dw (diagonal set to 0).
 * `part` marks a chunk that is partial or holds a diagonal: same lane operations, masked.
 */
NGNN_INLINE void w_chunk(const ngnn_msg *q, const float *k, float *dPc, size_t ldp, int i, const int R, int c, int n,
                         const int part) {
  const int N = q->N;
  vf w[4], wm[4], dw[4];
  int dl[4];
  for (int r = 0; r < R; r++) {
    const float *wp = q->W + (size_t)(i + r) * N + c;
    w[r] = part ? vloadn(wp, n) : vload(wp);
    dw[r] = vzero();
    dl[r] = part && i + r >= c && i + r < c + n ? i + r - c : -1;
    wm[r] = dl[r] >= 0 ? vzero_lane(w[r], dl[r]) : w[r];
  }
  for (int b = 0; b < q->B; b++) {
    const float *pp = q->P + (size_t)b * N + c;
    float *dp = dPc + (size_t)b * ldp;
    const vf p = part ? vloadn(pp, n) : vload(pp);
    vf d = part ? vloadn(dp, n) : vload(dp);
    const float *gb = q->G + (size_t)b * N + i;
    for (int r = 0; r < R; r++) {
      const vf g = vset1(gb[r]);
      dw[r] = vfma(g, p, dw[r]);
      d = vfma(g, wm[r], d);
    }
    if (part) vstoren(dp, d, n);
    else vstore(dp, d);
  }
  for (int r = 0; r < R; r++) {
    if (dl[r] >= 0) dw[r] = vzero_lane(dw[r], dl[r]);
    const size_t o = (size_t)(i + r) * N + c;
    if (!q->adam) {
      if (part) vstoren(q->dW + o, dw[r], n);
      else vstore(q->dW + o, dw[r]);
      continue;
    }
    if (q->l1 != 0) {
      // dW += l1·sign(W): +l1 where W > 0, −l1 where W < 0, 0 at 0 (the diagonal included).
      const vf L = vset1(q->l1);
      dw[r] = vadd(dw[r], vsub(vkeep_pos(L, w[r]), vkeep_pos(L, vsub(vzero(), w[r]))));
    }
    vf m = part ? vloadn(q->m + o, n) : vload(q->m + o);
    vf v = part ? vloadn(q->v + o, n) : vload(q->v + o);
    vf p = adam_vec(k, w[r], dw[r], &m, &v);
    if (dl[r] >= 0) p = vzero_lane(p, dl[r]);
    if (part) {
      vstoren(q->W + o, p, n);
      vstoren(q->m + o, m, n);
      vstoren(q->v + o, v, n);
    } else {
      vstore(q->W + o, p);
      vstore(q->m + o, m);
      vstore(q->v + o, v);
    }
  }
}

/** Rows i … i+R−1 over this thread's columns [j0, j1); dP[b, j0 + c'] at dPj0[b·ldp + c']. */
NGNN_INLINE void w_rows(const ngnn_msg *q, const float *k, float *dPj0, size_t ldp, int i, const int R, int j0, int j1) {
  for (int c = j0; c < j1; c += VW) {
    const int n = j1 - c < VW ? j1 - c : VW;
    float *dPc = dPj0 + (c - j0);
    if (n == VW && (i + R <= c || i >= c + VW)) w_chunk(q, k, dPc, ldp, i, R, c, VW, 0);
    else w_chunk(q, k, dPc, ldp, i, R, c, n, 1);
  }
}

/**
 * Backward of the messages on this thread's columns (multiples of VW): dP, and dW or W's Adam
 * step. W is read once and written once; each dP column accumulates over the rows in order, in
 * a buffer of this thread's own (cache lines the other threads never write: dP's rows are
 * written once per 4 rows of W, and a line shared at the column boundary would bounce between
 * the cores), copied to dP at the end.
 */
static void messages_backward(void *ctx, int tid, int nth) {
  const ngnn_msg *q = (const ngnn_msg *)ctx;
  const int N = q->N;
  const int j0 = (int)ngnn_slice((size_t)N, tid, nth, VW), j1 = (int)ngnn_slice((size_t)N, tid + 1, nth, VW);
  if (j0 >= j1) return;
  const float k[7] = {q->step, q->beta1, 1 - q->beta1, q->beta2, 1 - q->beta2, q->eps, 1 / q->sqrtBc2};
  const size_t ld = ((size_t)(j1 - j0) + 15) & ~(size_t)15; // whole cache lines per frame
  float *own = q->dPs + (size_t)tid * q->dPsFloats;          // dP[b, j0 + c'] at own[b·ld + c']
  for (int b = 0; b < q->B; b++) memset(own + (size_t)b * ld, 0, (size_t)(j1 - j0) * sizeof(float));
  int i = 0;
  for (; i + 4 <= N; i += 4) w_rows(q, k, own, ld, i, 4, j0, j1);
  for (; i < N; i++) w_rows(q, k, own, ld, i, 1, j0, j1);
  for (int b = 0; b < q->B; b++) memcpy(q->dP + (size_t)b * N + j0, own + (size_t)b * ld, (size_t)(j1 - j0) * sizeof(float));
}

/** Adam on this thread's share of the n elements. */
static void adam(void *ctx, int tid, int nth) {
  const ngnn_adam *q = (const ngnn_adam *)ctx;
  const size_t e0 = ngnn_slice(q->n, tid, nth, 64), e1 = ngnn_slice(q->n, tid + 1, nth, 64);
  const float k[7] = {q->step, q->beta1, 1 - q->beta1, q->beta2, 1 - q->beta2, q->eps, 1 / q->sqrtBc2};
  size_t e = e0;
  for (; e + VW <= e1; e += VW) {
    vf m = vload(q->m + e), v = vload(q->v + e);
    vstore(q->p + e, adam_vec(k, vload(q->p + e), vload(q->g + e), &m, &v));
    vstore(q->m + e, m);
    vstore(q->v + e, v);
  }
  if (e < e1) {
    const int n = (int)(e1 - e);
    vf m = vloadn(q->m + e, n), v = vloadn(q->v + e, n);
    vstoren(q->p + e, adam_vec(k, vloadn(q->p + e, n), vloadn(q->g + e, n), &m, &v), n);
    vstoren(q->m + e, m, n);
    vstoren(q->v + e, v, n);
  }
}
