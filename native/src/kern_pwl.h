/*
 * MLPs with one input (psi*: x_j → message) as the piecewise-linear functions they are. With a
 * scalar x, h1 = relu(w0 x + b0) is linear on each interval j between the sorted breakpoints
 * −b0_k / w0_k (≤ H + 1 intervals): h1 = alpha_j (x − c_j) + gamma_j, so the second layer's input
 * z2 = W1 h1 + b1 = A_j (x − c_j) + Z_j, with A_j, Z_j [H] tabulated once per call (pwl.c).
 * Forward: y = W2 · relu(A_j dx + Z_j) + b2, dx = x − c_j: H FMAs instead of H·H.
 * Backward, with dz2 = dy W2 ⊙ [h2 > 0]: dX = A_j · dz2, and sums per interval
 *   U_j = Σ_{s ∈ j} dx_s dz2_s,  V_j = Σ_{s ∈ j} dz2_s  (over fixed blocks of NGNN_PWL_BLOCK samples),
 * from which, once per call:
 *   dW1 = Σ_j U_j alpha_jᵀ + V_j gamma_jᵀ,   db1 = Σ_j V_j,
 *   dW0 = Σ_j m_j ⊙ W1ᵀ (U_j + c_j V_j),     db0 = Σ_j m_j ⊙ W1ᵀ V_j   (m_j: the units active on j).
 * Included once per ISA by isa_template.h, after simd.h.
 */

/** The interval of x: the number of breakpoints ≤ x (t is padded with +inf), at most nI − 1. */
NGNN_INLINE int pwl_interval(const ngnn_pwl *w, int nvH, float x) {
  const vf xv = vset1(x);
  int n = 0;
  for (int u = 0; u < nvH; u++) n += __builtin_popcountll(vlebits(vload(w->t + u * VW), xv));
  return n < w->nI ? n : w->nI - 1;
}

/** Forward pass of an MLP [1, H, H, 1] over this thread's samples: y (A1, A2 are not needed, not written). */
static void pwl_forward(void *ctx, int tid, int nth) {
  const ngnn_mlp *q = (const ngnn_mlp *)ctx;
  const ngnn_pwl *w = q->pwl;
  const int H = q->H, nvH = H / VW;
  const size_t s0 = ngnn_slice((size_t)q->S, tid, nth, 16), s1 = ngnn_slice((size_t)q->S, tid + 1, nth, 16);
  for (size_t s = s0; s < s1; s++) {
    const float x = q->X[s];
    const int j = pwl_interval(w, nvH, x);
    const vf dxv = vset1(x - w->c[j]);
    const float *Aj = w->A + (size_t)j * H, *Zj = w->Z + (size_t)j * H;
    vf yacc = vzero();
    for (int u = 0; u < nvH; u++) {
      const int o = u * VW;
      yacc = vfma(vload(q->wOut + o), vrelu(vfma(vload(Aj + o), dxv, vload(Zj + o))), yacc);
    }
    q->y[s] = vhsum(yacc) + q->bOut;
  }
}

/** Partial sums of this thread's blocks: U, V per interval, dW2, db2 (layout: ngnn_pwl); dX. */
static void pwl_backward(void *ctx, int tid, int nth) {
  const ngnn_mlp *q = (const ngnn_mlp *)ctx;
  const ngnn_pwl *w = q->pwl;
  const int H = q->H, nvH = H / VW;
  const size_t k0 = ngnn_slice((size_t)q->nBlocks, tid, nth, 1), k1 = ngnn_slice((size_t)q->nBlocks, tid + 1, nth, 1);
  for (size_t k = k0; k < k1; k++) {
    float *g = q->partial + k * (size_t)q->P;
    memset(g, 0, (size_t)q->P * sizeof(float));
    float *U = g + w->offU, *V = g + w->offV, *gW2 = g + w->offW2, *gb2 = g + w->offB2;
    const size_t sEnd = (k + 1) * NGNN_PWL_BLOCK < (size_t)q->S ? (k + 1) * NGNN_PWL_BLOCK : (size_t)q->S;
    for (size_t s = k * NGNN_PWL_BLOCK; s < sEnd; s++) {
      const float x = q->X[s], dy = q->dy[s];
      const int j = pwl_interval(w, nvH, x);
      const vf dxv = vset1(x - w->c[j]), dv = vset1(dy);
      const float *Aj = w->A + (size_t)j * H, *Zj = w->Z + (size_t)j * H;
      float *Uj = U + (size_t)j * H, *Vj = V + (size_t)j * H;
      *gb2 += dy;
      vf dxa = vzero();
      for (int u = 0; u < nvH; u++) {
        const int o = u * VW;
        const vf a = vload(Aj + o);
        const vf h = vrelu(vfma(a, dxv, vload(Zj + o)));
        const vf z = vkeep_pos(vmul(dv, vload(q->wOut + o)), h);
        vstore(Uj + o, vfma(z, dxv, vload(Uj + o)));
        vstore(Vj + o, vadd(vload(Vj + o), z));
        vstore(gW2 + o, vfma(dv, h, vload(gW2 + o)));
        dxa = vfma(a, z, dxa);
      }
      if (q->dX) q->dX[s] = vhsum(dxa);
    }
  }
}

/**
 * The gradients from the reduced sums (q->reduced), into q->partial in the standard layout
 * [dW0T (H), db0, dW1, db1, dW2, db2] (ops.c adds them to the caller's). One thread.
 */
static void pwl_finish(void *ctx, int tid, int nth) {
  (void)nth;
  if (tid != 0) return;
  const ngnn_mlp *q = (const ngnn_mlp *)ctx;
  const ngnn_pwl *w = q->pwl;
  const int H = q->H, nvH = H / VW, nI = w->nI;
  const float *R = q->reduced;
  const float *U = R + w->offU, *V = R + w->offV;
  float *gW0 = q->partial, *gb0 = gW0 + H, *gW1 = gb0 + H, *gb1 = gW1 + (size_t)H * H, *gW2 = gb1 + H;
  memset(gW0, 0, (size_t)(3 * H + H * H + 1) * sizeof(float));
  float *uc = w->scratch, *wu = uc + H, *wv = wu + H;
  for (int j = 0; j < nI; j++) {
    const float *Uj = U + (size_t)j * H, *Vj = V + (size_t)j * H, *mj = w->mask + (size_t)j * H;
    const vf cj = vset1(w->c[j]);
    for (int u = 0; u < nvH; u++) {
      const int o = u * VW;
      vstore(uc + o, vfma(cj, vload(Vj + o), vload(Uj + o)));
      vstore(gb1 + o, vadd(vload(gb1 + o), vload(Vj + o)));
    }
    // dW0 += m_j ⊙ W1ᵀ (U_j + c_j V_j); db0 += m_j ⊙ W1ᵀ V_j (W1 by rows o)
    combination(wu, 0, uc, 1, q->W[1], (size_t)H, H, H);
    combination(wv, 0, Vj, 1, q->W[1], (size_t)H, H, H);
    for (int u = 0; u < nvH; u++) {
      const int o = u * VW;
      const vf m = vload(mj + o);
      vstore(gW0 + o, vfma(m, vload(wu + o), vload(gW0 + o)));
      vstore(gb0 + o, vfma(m, vload(wv + o), vload(gb0 + o)));
    }
  }
  // dW1[o, :] = Σ_j U_j[o] alpha_j + Σ_j V_j[o] gamma_j
  for (int o = 0; o < H; o++) {
    combination(gW1 + (size_t)o * H, 0, U + o, (size_t)H, w->alpha, (size_t)H, nI, H);
    combination(gW1 + (size_t)o * H, 1, V + o, (size_t)H, w->gamma, (size_t)H, nI, H);
  }
  memcpy(gW2, R + w->offW2, (size_t)H * sizeof(float));
  gW2[H] = R[w->offB2];
}
