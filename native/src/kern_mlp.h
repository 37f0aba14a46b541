/*
 * MLP [nIn, H, …, H, 1] kernels (nh ≥ 1 hidden layers, H a multiple of 16; kernels.h's ngnn_mlp):
 * forward, backward in fixed blocks, block reduction. Included once per ISA by isa_template.h,
 * after simd.h.
 *
 * ReLU zeros are skipped: a hidden layer's product Σ_k a[k] M[k, :] runs over the set bits of a
 * mask of the non-zero a[k] only (about half of them), one broadcast and H/VW FMAs per bit.
 * Columns go in chunks of at most 8 vectors held in registers (NGNN_SWITCH8, in isa_template.h,
 * makes the chunk width a compile-time constant).
 */

/**
 * acc[u] = Σ_{k ∈ bits} coef[k·cs] · M[k·ld + u·VW …] for u < nv (vectors of VW columns), bits:
 * nwords 64-bit words, bit b of word w standing for k = 64w + b, taken in increasing k. With nv ≤ 4
 * the set bits alternate between two partial sums (added at the end), for enough independent FMA
 * chains.
 */
NGNN_INLINE void sparse_sum(vf *acc, const int nv, const float *M, size_t ld, const float *coef, size_t cs,
                            const uint64_t *bits, int nwords) {
  vf a0[8], a1[8];
  for (int u = 0; u < nv; u++) a0[u] = a1[u] = vzero();
  for (int w = 0; w < nwords; w++) {
    uint64_t m = bits[w];
    const float *Mw = M + (size_t)64 * w * ld;
    const float *cw = coef + (size_t)64 * w * cs;
    if (nv <= 4) {
      while (m) {
        const int k0 = ctz64(m);
        m &= m - 1;
        const vf c0 = vset1(cw[k0 * cs]);
        const float *r0 = Mw + k0 * ld;
        if (!m) {
          for (int u = 0; u < nv; u++) a0[u] = vfma(c0, vload(r0 + u * VW), a0[u]);
          break;
        }
        const int k1 = ctz64(m);
        m &= m - 1;
        const vf c1 = vset1(cw[k1 * cs]);
        const float *r1 = Mw + k1 * ld;
        for (int u = 0; u < nv; u++) {
          a0[u] = vfma(c0, vload(r0 + u * VW), a0[u]);
          a1[u] = vfma(c1, vload(r1 + u * VW), a1[u]);
        }
      }
    } else {
      while (m) {
        const int k = ctz64(m);
        m &= m - 1;
        const vf c = vset1(cw[k * cs]);
        const float *r = Mw + k * ld;
        for (int u = 0; u < nv; u++) a0[u] = vfma(c, vload(r + u * VW), a0[u]);
      }
    }
  }
  for (int u = 0; u < nv; u++) acc[u] = nv <= 4 ? vadd(a0[u], a1[u]) : a0[u];
}

/**
 * out[u·VW …] (+)= Σ_{r < n} coef[r·cs] M[r·ld + u·VW …] for u < nv, rows r in order (coef NULL:
 * all 1, plain sums). The nv accumulators are independent chains.
 */
NGNN_INLINE void comb_chunk(float *out, int add, const float *coef, size_t cs, const float *M, size_t ld, int n, const int nv) {
  vf a[8];
  for (int u = 0; u < nv; u++) a[u] = add ? vload(out + u * VW) : vzero();
  for (int r = 0; r < n; r++) {
    if (coef) {
      const vf c = vset1(coef[r * cs]);
      for (int u = 0; u < nv; u++) a[u] = vfma(c, vload(M + r * ld + u * VW), a[u]);
    } else {
      for (int u = 0; u < nv; u++) a[u] = vadd(a[u], vload(M + r * ld + u * VW));
    }
  }
  for (int u = 0; u < nv; u++) vstore(out + u * VW, a[u]);
}

/** out[0 … H) (+)= Σ_{r < n} coef[r·cs] M[r·ld + …] over rows of H floats (coef NULL: all 1). */
static void combination(float *out, int add, const float *coef, size_t cs, const float *M, size_t ld, int n, int H) {
  for (int v0 = 0; v0 < H / VW; v0 += 8) {
    const int nv = H / VW - v0 < 8 ? H / VW - v0 : 8;
#define NGNN_COMB(NV) comb_chunk(out + v0 * VW, add, coef, cs, M + v0 * VW, ld, n, NV)
    NGNN_SWITCH8(nv, NGNN_COMB)
#undef NGNN_COMB
  }
}

/** Sets bit k of the bit array bits where lane k − c of v (c a multiple of VW) is flagged in `lanes`. */
NGNN_INLINE void set_bits(uint64_t *bits, int c, uint64_t lanes) { bits[c >> 6] |= lanes << (c & 63); }

/**
 * hout[v0·VW …] = relu(b + Σ_{k: hin[k] > 0} hin[k] WT[k, …]) for nv vectors (WT: [H, H], rows k),
 * and obits |= the mask of its non-zeros (obits non-NULL), or yacc += wOut · hout there (wOut non-NULL).
 */
NGNN_INLINE void fwd_chunk(const float *WT, const float *b, const float *wOut, int H, const float *hin, float *hout,
                           const uint64_t *bits, uint64_t *obits, int v0, const int nv, vf *yacc) {
  vf acc[8];
  sparse_sum(acc, nv, WT + v0 * VW, (size_t)H, hin, 1, bits, (H + 63) / 64);
  for (int u = 0; u < nv; u++) {
    const int o = (v0 + u) * VW;
    const vf h = vrelu(vadd(acc[u], vload(b + o)));
    vstore(hout + o, h);
    if (obits) set_bits(obits, o, vposbits(h));
    if (wOut) *yacc = vfma(vload(wOut + o), h, *yacc);
  }
}

/** h0 = relu(b0 + Σ_c x[c] W0T[c, :]) (the first layer), and bits |= the mask of its non-zeros when given. */
NGNN_INLINE void first_layer(const ngnn_mlp *q, const float *x, float *h0, uint64_t *bits) {
  const int H = q->H, nvH = H / VW;
  for (int u = 0; u < nvH; u++) {
    vf z = vload(q->b0 + u * VW);
    for (int c = 0; c < q->nIn; c++) z = vfma(vset1(x[c]), vload(q->W0T + (size_t)c * H + u * VW), z);
    z = vrelu(z);
    vstore(h0 + u * VW, z);
    if (bits) set_bits(bits, u * VW, vposbits(z));
  }
}

/**
 * Forward pass over this thread's samples: y and A[1 … nh−1] (the backward pass recomputes h_0
 * from X, which costs less than storing and reading it back: A[0] is not written). Hidden layer a
 * runs over the non-zeros of h_{a−1} (a bit mask); the last one is fused with the output layer.
 */
static void mlp_forward(void *ctx, int tid, int nth) {
  const ngnn_mlp *q = (const ngnn_mlp *)ctx;
  const int H = q->H, nIn = q->nIn, nh = q->nh, nvH = H / VW, HW = (H + 63) / 64;
  const size_t s0 = ngnn_slice((size_t)q->S, tid, nth, 16), s1 = ngnn_slice((size_t)q->S, tid + 1, nth, 16);
  uint64_t bits[2][NGNN_MAX_H / 64];
  float h0[NGNN_MAX_H] __attribute__((aligned(64)));
  for (size_t s = s0; s < s1; s++) {
    for (int w = 0; w < HW; w++) bits[0][w] = 0;
    first_layer(q, q->X + s * (size_t)nIn, h0, bits[0]);
    vf yacc = vzero();
    const float *hin = h0;
    for (int a = 1; a < nh; a++) {
      float *hout = q->A[a] + s * (size_t)H;
      const int last = a == nh - 1;
      uint64_t *ib = bits[(a - 1) & 1], *ob = last ? NULL : bits[a & 1];
      if (ob)
        for (int w = 0; w < HW; w++) ob[w] = 0;
      for (int v0 = 0; v0 < nvH; v0 += 8) {
        const int nv = nvH - v0 < 8 ? nvH - v0 : 8;
#define NGNN_FWD(NV) fwd_chunk(q->WT[a], q->b[a], last ? q->wOut : NULL, H, hin, hout, ib, ob, v0, NV, &yacc)
        NGNN_SWITCH8(nv, NGNN_FWD)
#undef NGNN_FWD
      }
      hin = hout;
    }
    if (nh == 1)
      for (int u = 0; u < nvH; u++) yacc = vfma(vload(q->wOut + u * VW), vload(h0 + u * VW), yacc);
    q->y[s] = vhsum(yacc) + q->bOut;
  }
}

/**
 * dzin[v0·VW …] = [hin > 0] ⊙ Σ_{o: dz[o] ≠ 0} dz[o] W[o, …] for nv vectors (W: [H, H], rows o),
 * and obits |= the mask of its non-zeros (obits non-NULL).
 */
NGNN_INLINE void bwd_chunk(const float *W, int H, const float *hin, const float *dz, float *dzin, const uint64_t *bits,
                           uint64_t *obits, int v0, const int nv) {
  vf acc[8];
  sparse_sum(acc, nv, W + v0 * VW, (size_t)H, dz, 1, bits, (H + 63) / 64);
  for (int u = 0; u < nv; u++) {
    const int k = (v0 + u) * VW;
    const vf d = vkeep_pos(acc[u], vload(hin + k));
    vstore(dzin + k, d);
    if (obits) set_bits(obits, k, vnzbits(d));
  }
}

/** gW[o, v0·VW …] += Σ_{l ∈ lbits} dz[l, o] hin[l, …] over the sub-block's samples l (rows of H). */
NGNN_INLINE void gw_chunk(int H, const float *hin, const float *DZ, int o, uint64_t lbits, float *gW, int v0, const int nv) {
  vf acc[8];
  sparse_sum(acc, nv, hin + v0 * VW, (size_t)H, DZ + o, (size_t)H, &lbits, 1);
  float *row = gW + (size_t)o * H + v0 * VW;
  for (int u = 0; u < nv; u++) vstore(row + u * VW, vadd(vload(row + u * VW), acc[u]));
}

/** Transpose of a 64×64 bit matrix: bit c of a[r] ↔ bit r of a[c]. */
static void transpose64(uint64_t a[64]) {
  uint64_t m = 0x00000000FFFFFFFFull;
  for (int j = 32; j != 0; j >>= 1, m ^= m << j) {
    for (int k = 0; k < 64; k = ((k | j) + 1) & ~j) {
      const uint64_t t = ((a[k] >> j) ^ a[k | j]) & m;
      a[k] ^= t << j;
      a[k | j] ^= t;
    }
  }
}

/**
 * Backward pass over samples s0 … s0+ns−1 (ns ≤ 64), accumulated in sample order into the block's
 * partial gradients g. Per sample: h_0 (recomputed), dz_{nh−1} = dy·wOut ⊙ [h_{nh−1} > 0],
 * dz_{a−1} = [h_{a−1} > 0] ⊙ W_aᵀ dz_a down to dz_0, dX = W_0ᵀ dz_0 (each dz_a, a ≥ 1, with a bit
 * mask of its non-zeros). Then over the sub-block: dwOut += dy h_{nh−1}, dbOut += dy, db_a += dz_a,
 * dW0T[c] += x_c dz_0, and dW_a[o, :] += Σ_l dz_a[l, o] h_{a−1}[l, :] over the samples where
 * dz_a[l, o] ≠ 0 (a transposed bit mask).
 */
static void mlp_backward_sub(const ngnn_mlp *q, int s0, int ns, float *g, float *scr) {
  const int H = q->H, nIn = q->nIn, nh = q->nh, nvH = H / VW, HW = (H + 63) / 64;
  const size_t SH = (size_t)NGNN_SUB * H;
  float *DZ = scr;                                  // [nh, 64, H]: dz_a
  float *H0 = DZ + (size_t)nh * SH;                 // [64, H]: h_0, recomputed
  uint64_t *rowbits = (uint64_t *)(H0 + SH);        // [nh, 64, HW]: bits of dz_a ≠ 0 (a ≥ 1), by sample
  const float *hs[NGNN_MAX_HIDDEN];                 // h_a of the sub-block: [ns, H]
  float *gW0T = g, *gb0 = g + nIn * H, *gW[NGNN_MAX_HIDDEN], *gb[NGNN_MAX_HIDDEN];
  gb[0] = gb0;
  hs[0] = H0;
  for (int a = 1; a < nh; a++) {
    gW[a] = gb[a - 1] + H;
    gb[a] = gW[a] + (size_t)H * H;
    hs[a] = q->A[a] + (size_t)s0 * H;
  }
  float *gwOut = gb[nh - 1] + H, *gbOut = gwOut + H;
  for (int l = 0; l < ns; l++) {
    const size_t s = (size_t)s0 + l;
    const vf dv = vset1(q->dy[s]);
    first_layer(q, q->X + s * (size_t)nIn, H0 + (size_t)l * H, NULL);
    float *dz = DZ + (size_t)(nh - 1) * SH + (size_t)l * H;
    const float *hl = hs[nh - 1] + (size_t)l * H;
    uint64_t *rb = rowbits + (size_t)(nh - 1) * NGNN_SUB * HW + (size_t)l * HW;
    for (int w = 0; w < HW; w++) rb[w] = 0;
    for (int u = 0; u < nvH; u++) {
      const vf z = vkeep_pos(vmul(dv, vload(q->wOut + u * VW)), vload(hl + u * VW));
      vstore(dz + u * VW, z);
      set_bits(rb, u * VW, vnzbits(z));
    }
    for (int a = nh - 1; a >= 1; a--) {
      const float *dza = DZ + (size_t)a * SH + (size_t)l * H;
      float *dzb = DZ + (size_t)(a - 1) * SH + (size_t)l * H;
      const uint64_t *ib = rowbits + (size_t)a * NGNN_SUB * HW + (size_t)l * HW;
      uint64_t *ob = a > 1 ? rowbits + (size_t)(a - 1) * NGNN_SUB * HW + (size_t)l * HW : NULL;
      if (ob)
        for (int w = 0; w < HW; w++) ob[w] = 0;
      const float *hb = hs[a - 1] + (size_t)l * H;
      for (int v0 = 0; v0 < nvH; v0 += 8) {
        const int nv = nvH - v0 < 8 ? nvH - v0 : 8;
#define NGNN_BWD(NV) bwd_chunk(q->W[a], H, hb, dza, dzb, ib, ob, v0, NV)
        NGNN_SWITCH8(nv, NGNN_BWD)
#undef NGNN_BWD
      }
    }
    if (q->dX) {
      const float *dz0 = DZ + (size_t)l * H;
      for (int c = 0; c < nIn; c++) {
        vf acc = vzero();
        for (int u = 0; u < nvH; u++) acc = vfma(vload(q->W0T + (size_t)c * H + u * VW), vload(dz0 + u * VW), acc);
        q->dX[s * nIn + c] = vhsum(acc);
      }
    }
  }
  float sdy = *gbOut;
  for (int l = 0; l < ns; l++) sdy += q->dy[s0 + l];
  *gbOut = sdy;
  combination(gwOut, 1, q->dy + s0, 1, hs[nh - 1], (size_t)H, ns, H); // dwOut += Σ_l dy_l h_{nh−1, l}
  for (int a = nh - 1; a >= 0; a--) combination(gb[a], 1, NULL, 0, DZ + (size_t)a * SH, (size_t)H, ns, H); // db_a += Σ_l dz_a
  for (int c = 0; c < nIn; c++) { // dW0T[c] += Σ_l x_lc dz_0
    combination(gW0T + (size_t)c * H, 1, q->X + (size_t)s0 * nIn + c, (size_t)nIn, DZ, (size_t)H, ns, H);
  }
  for (int a = 1; a < nh; a++) {
    const uint64_t *ab = rowbits + (size_t)a * NGNN_SUB * HW;
    const float *DZa = DZ + (size_t)a * SH;
    for (int w = 0; w < HW; w++) {
      uint64_t t[64];
      for (int l = 0; l < 64; l++) t[l] = l < ns ? ab[(size_t)l * HW + w] : 0;
      transpose64(t); // t[b]: bits over samples l of dz_a[l, 64w + b] ≠ 0
      for (int b = 0; b < 64 && 64 * w + b < H; b++) {
        if (!t[b]) continue;
        const int o = 64 * w + b;
        for (int v0 = 0; v0 < nvH; v0 += 8) {
          const int nv = nvH - v0 < 8 ? nvH - v0 : 8;
#define NGNN_GW(NV) gw_chunk(H, hs[a - 1], DZa, o, t[b], gW[a], v0, NV)
          NGNN_SWITCH8(nv, NGNN_GW)
#undef NGNN_GW
        }
      }
    }
  }
}

/** Backward pass: the partial gradients of this thread's blocks (contiguous), and dX. */
static void mlp_backward(void *ctx, int tid, int nth) {
  const ngnn_mlp *q = (const ngnn_mlp *)ctx;
  const size_t k0 = ngnn_slice((size_t)q->nBlocks, tid, nth, 1), k1 = ngnn_slice((size_t)q->nBlocks, tid + 1, nth, 1);
  float *scr = q->scratch + (size_t)tid * q->scratchFloats;
  for (size_t k = k0; k < k1; k++) {
    float *g = q->partial + k * (size_t)q->P;
    memset(g, 0, (size_t)q->P * sizeof(float));
    const int sEnd = (int)((k + 1) * NGNN_BLOCK < (size_t)q->S ? (k + 1) * NGNN_BLOCK : (size_t)q->S);
    for (int s0 = (int)k * NGNN_BLOCK; s0 < sEnd; s0 += NGNN_SUB) {
      mlp_backward_sub(q, s0, sEnd - s0 < NGNN_SUB ? sEnd - s0 : NGNN_SUB, g, scr);
    }
  }
}

/** reduced[e] = Σ_k partial[k, e], blocks k in order; elements split by thread. */
static void mlp_reduce(void *ctx, int tid, int nth) {
  const ngnn_mlp *q = (const ngnn_mlp *)ctx;
  const size_t e0 = ngnn_slice((size_t)q->P, tid, nth, 16), e1 = ngnn_slice((size_t)q->P, tid + 1, nth, 16);
  for (size_t e = e0; e < e1; e += VW) {
    vf a = vzero();
    for (int k = 0; k < q->nBlocks; k++) a = vadd(a, vload(q->partial + (size_t)k * q->P + e));
    vstore(q->reduced + e, a);
  }
}
