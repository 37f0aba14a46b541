/*
 * MLP [nIn, H, H, 1] kernels (H a multiple of 16): forward, backward in fixed blocks, block
 * reduction. Included once per ISA by isa_template.h, after simd.h.
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

/** h2[v0·VW …] = relu(b1 + Σ_{k: h1[k] > 0} h1[k] W1T[k, …]) for nv vectors; yacc += W2 · h2 there. */
NGNN_INLINE void fwd_chunk(const ngnn_mlp *q, const float *h1, float *h2, const uint64_t *bits, int v0, const int nv,
                           vf *yacc) {
  const int H = q->H;
  vf acc[8];
  sparse_sum(acc, nv, q->W1T + v0 * VW, (size_t)H, h1, 1, bits, (H + 63) / 64);
  for (int u = 0; u < nv; u++) {
    const int o = (v0 + u) * VW;
    const vf h = vrelu(vadd(acc[u], vload(q->b1 + o)));
    vstore(h2 + o, h);
    *yacc = vfma(vload(q->W2 + o), h, *yacc);
  }
}

/** h1 = relu(b0 + Σ_c x[c] W0T[c, :]) (the first layer), and bits |= the mask of its non-zeros when given. */
NGNN_INLINE void first_layer(const ngnn_mlp *q, const float *x, float *h1, uint64_t *bits) {
  const int H = q->H, nvH = H / VW;
  for (int u = 0; u < nvH; u++) {
    vf z = vload(q->b0 + u * VW);
    for (int c = 0; c < q->nIn; c++) z = vfma(vset1(x[c]), vload(q->W0T + (size_t)c * H + u * VW), z);
    z = vrelu(z);
    vstore(h1 + u * VW, z);
    if (bits) set_bits(bits, u * VW, vposbits(z));
  }
}

/**
 * Forward pass over this thread's samples: y and A2 (the backward pass recomputes h1 from X, which
 * costs less than storing and reading it back: A1 is not written).
 */
static void mlp_forward(void *ctx, int tid, int nth) {
  const ngnn_mlp *q = (const ngnn_mlp *)ctx;
  const int H = q->H, nIn = q->nIn, nvH = H / VW, HW = (H + 63) / 64;
  const size_t s0 = ngnn_slice((size_t)q->S, tid, nth, 16), s1 = ngnn_slice((size_t)q->S, tid + 1, nth, 16);
  uint64_t bits[NGNN_MAX_H / 64];
  float h1[NGNN_MAX_H] __attribute__((aligned(64)));
  for (size_t s = s0; s < s1; s++) {
    float *h2 = q->A2 + s * (size_t)H;
    for (int w = 0; w < HW; w++) bits[w] = 0;
    first_layer(q, q->X + s * (size_t)nIn, h1, bits);
    vf yacc = vzero();
    for (int v0 = 0; v0 < nvH; v0 += 8) {
      const int nv = nvH - v0 < 8 ? nvH - v0 : 8;
#define NGNN_FWD(NV) fwd_chunk(q, h1, h2, bits, v0, NV, &yacc)
      NGNN_SWITCH8(nv, NGNN_FWD)
#undef NGNN_FWD
    }
    q->y[s] = vhsum(yacc) + q->b2;
  }
}

/** dz1[v0·VW …] = [h1 > 0] ⊙ Σ_{o: dz2[o] ≠ 0} dz2[o] W1[o, …] for nv vectors. */
NGNN_INLINE void bwd_chunk(const ngnn_mlp *q, const float *h1, const float *dz2, float *dz1, const uint64_t *bits, int v0,
                           const int nv) {
  const int H = q->H;
  vf acc[8];
  sparse_sum(acc, nv, q->W1 + v0 * VW, (size_t)H, dz2, 1, bits, (H + 63) / 64);
  for (int u = 0; u < nv; u++) {
    const int k = (v0 + u) * VW;
    vstore(dz1 + k, vkeep_pos(acc[u], vload(h1 + k)));
  }
}

/** gW1[o, v0·VW …] += Σ_{l ∈ lbits} dz2[l, o] h1[l, …] over the sub-block's samples l. */
NGNN_INLINE void gw1_chunk(const ngnn_mlp *q, const float *A1s, const float *DZ2, int o, uint64_t lbits, float *gW1, int v0,
                           const int nv) {
  const int H = q->H;
  vf acc[8];
  sparse_sum(acc, nv, A1s + v0 * VW, (size_t)H, DZ2 + o, (size_t)H, &lbits, 1);
  float *row = gW1 + (size_t)o * H + v0 * VW;
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
 * partial gradients g. Per sample: h1 (recomputed), dz2 = dy·W2 ⊙ [h2 > 0], dz1 = [h1 > 0] ⊙ W1ᵀ dz2, dX = W0 dz1.
 * Then over the sub-block: dW2 += dy h2, db1 += dz2, db0 += dz1, dW0T[c] += x_c dz1, db2 += dy,
 * dW1[o, :] += Σ_l dz2[l, o] h1[l, :] over the samples where dz2[l, o] ≠ 0 (a transposed bit mask).
 */
static void mlp_backward_sub(const ngnn_mlp *q, int s0, int ns, float *g, float *scr) {
  const int H = q->H, nIn = q->nIn, nvH = H / VW, HW = (H + 63) / 64;
  float *DZ2 = scr;                                            // [64, H]
  float *DZ1 = scr + (size_t)NGNN_SUB * H;                     // [64, H]
  float *A1s = DZ1 + (size_t)NGNN_SUB * H;                     // [64, H]: h1, recomputed
  uint64_t *rowbits = (uint64_t *)(A1s + (size_t)NGNN_SUB * H); // [64, HW]: bits of dz2 ≠ 0, by sample
  float *gW0T = g, *gb0 = g + nIn * H, *gW1 = gb0 + H, *gb1 = gW1 + (size_t)H * H, *gW2 = gb1 + H, *gb2 = gW2 + H;
  const float *A2s = q->A2 + (size_t)s0 * H;
  for (int l = 0; l < ns; l++) {
    const size_t s = (size_t)s0 + l;
    const vf dv = vset1(q->dy[s]);
    float *h1 = A1s + (size_t)l * H;
    first_layer(q, q->X + s * (size_t)nIn, h1, NULL);
    const float *h2 = A2s + (size_t)l * H;
    float *dz2 = DZ2 + (size_t)l * H;
    float *dz1 = DZ1 + (size_t)l * H;
    uint64_t *rb = rowbits + (size_t)l * HW;
    for (int w = 0; w < HW; w++) rb[w] = 0;
    for (int u = 0; u < nvH; u++) {
      const vf z = vkeep_pos(vmul(dv, vload(q->W2 + u * VW)), vload(h2 + u * VW));
      vstore(dz2 + u * VW, z);
      set_bits(rb, u * VW, vnzbits(z));
    }
    for (int v0 = 0; v0 < nvH; v0 += 8) {
      const int nv = nvH - v0 < 8 ? nvH - v0 : 8;
#define NGNN_BWD(NV) bwd_chunk(q, h1, dz2, dz1, rb, v0, NV)
      NGNN_SWITCH8(nv, NGNN_BWD)
#undef NGNN_BWD
    }
    if (q->dX) {
      for (int c = 0; c < nIn; c++) {
        vf a = vzero();
        for (int u = 0; u < nvH; u++) a = vfma(vload(q->W0T + (size_t)c * H + u * VW), vload(dz1 + u * VW), a);
        q->dX[s * nIn + c] = vhsum(a);
      }
    }
  }
  float sdy = *gb2;
  for (int l = 0; l < ns; l++) sdy += q->dy[s0 + l];
  *gb2 = sdy;
  combination(gW2, 1, q->dy + s0, 1, A2s, (size_t)H, ns, H); // dW2 += Σ_l dy_l h2_l
  combination(gb1, 1, NULL, 0, DZ2, (size_t)H, ns, H);       // db1 += Σ_l dz2_l
  combination(gb0, 1, NULL, 0, DZ1, (size_t)H, ns, H);       // db0 += Σ_l dz1_l
  for (int c = 0; c < nIn; c++) {                            // dW0T[c] += Σ_l x_lc dz1_l
    combination(gW0T + (size_t)c * H, 1, q->X + (size_t)s0 * nIn + c, (size_t)nIn, DZ1, (size_t)H, ns, H);
  }
  for (int w = 0; w < HW; w++) {
    uint64_t t[64];
    for (int l = 0; l < 64; l++) t[l] = l < ns ? rowbits[(size_t)l * HW + w] : 0;
    transpose64(t); // t[b]: bits over samples l of dz2[l, 64w + b] ≠ 0
    for (int b = 0; b < 64 && 64 * w + b < H; b++) {
      if (!t[b]) continue;
      const int o = 64 * w + b;
      for (int v0 = 0; v0 < nvH; v0 += 8) {
        const int nv = nvH - v0 < 8 ? nvH - v0 : 8;
#define NGNN_GW1(NV) gw1_chunk(q, A1s, DZ2, o, t[b], gW1, v0, NV)
        NGNN_SWITCH8(nv, NGNN_GW1)
#undef NGNN_GW1
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
