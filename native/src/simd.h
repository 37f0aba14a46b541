/*
 * One vector type `vf` of VW float32 lanes and the few operations the kernels use, for the ISA of
 * the translation unit that includes this header:
 *   NGNN_AVX512  16 lanes, AVX-512F intrinsics, fused multiply-add;
 *   NGNN_AVX2     8 lanes, AVX2 + FMA intrinsics, fused multiply-add;
 *   otherwise    NGNN_VW lanes (4; 16 for tests) of GCC/Clang vector extensions: SSE2 on x86-64
 *                (separate mul and add), NEON on aarch64 (fused multiply-add), scalar code elsewhere.
 * Every operation acts lane by lane except vhsum, so an element's result never depends on which
 * lane or which chunk of a row it was computed in.
 */
#ifndef NGNN_SIMD_H
#define NGNN_SIMD_H

#include <stdint.h>
#include <string.h>

#define NGNN_INLINE static inline __attribute__((always_inline))

#if defined(NGNN_AVX512)
#include <immintrin.h>
#define VW 16
typedef __m512 vf;
NGNN_INLINE vf vzero(void) { return _mm512_setzero_ps(); }
NGNN_INLINE vf vset1(float x) { return _mm512_set1_ps(x); }
NGNN_INLINE vf vload(const float *p) { return _mm512_loadu_ps(p); }
NGNN_INLINE void vstore(float *p, vf v) { _mm512_storeu_ps(p, v); }
/** The first n < VW lanes from p, the others 0 (no access beyond p + n). */
NGNN_INLINE vf vloadn(const float *p, int n) { return _mm512_maskz_loadu_ps((__mmask16)((1u << n) - 1), p); }
NGNN_INLINE void vstoren(float *p, vf v, int n) { _mm512_mask_storeu_ps(p, (__mmask16)((1u << n) - 1), v); }
/** a·b + c, rounded once. */
NGNN_INLINE vf vfma(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }
NGNN_INLINE vf vadd(vf a, vf b) { return _mm512_add_ps(a, b); }
NGNN_INLINE vf vsub(vf a, vf b) { return _mm512_sub_ps(a, b); }
NGNN_INLINE vf vmul(vf a, vf b) { return _mm512_mul_ps(a, b); }
NGNN_INLINE vf vdiv(vf a, vf b) { return _mm512_div_ps(a, b); }
NGNN_INLINE vf vsqrt(vf a) { return _mm512_sqrt_ps(a); }
/** max(a, 0), with NaN → 0 (the reference's `a > 0 ? a : 0`). */
NGNN_INLINE vf vrelu(vf a) { return _mm512_max_ps(a, _mm512_setzero_ps()); }
/** Bit l set where lane l of a is > 0. */
NGNN_INLINE uint64_t vposbits(vf a) { return _mm512_cmp_ps_mask(a, _mm512_setzero_ps(), _CMP_GT_OQ); }
/** Bit l set where lane l of a is not 0 (NaN included). */
NGNN_INLINE uint64_t vnzbits(vf a) { return _mm512_cmp_ps_mask(a, _mm512_setzero_ps(), _CMP_NEQ_UQ); }
/** Bit l set where lane l of a ≤ lane l of b. */
NGNN_INLINE uint64_t vlebits(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
/** a where ref > 0, else 0. */
NGNN_INLINE vf vkeep_pos(vf a, vf ref) {
  return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(ref, _mm512_setzero_ps(), _CMP_GT_OQ), a);
}
/** a with lane l set to 0. */
NGNN_INLINE vf vzero_lane(vf a, int l) { return _mm512_mask_mov_ps(a, (__mmask16)(1u << l), _mm512_setzero_ps()); }
NGNN_INLINE float vhsum(vf a) {
  __m256 h = _mm256_add_ps(_mm512_castps512_ps256(a), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a), 1)));
  __m128 q = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
  q = _mm_add_ps(q, _mm_movehl_ps(q, q));
  q = _mm_add_ss(q, _mm_shuffle_ps(q, q, 1));
  return _mm_cvtss_f32(q);
}

#elif defined(NGNN_AVX2)
#include <immintrin.h>
#define VW 8
typedef __m256 vf;
NGNN_INLINE vf vzero(void) { return _mm256_setzero_ps(); }
NGNN_INLINE vf vset1(float x) { return _mm256_set1_ps(x); }
NGNN_INLINE vf vload(const float *p) { return _mm256_loadu_ps(p); }
NGNN_INLINE void vstore(float *p, vf v) { _mm256_storeu_ps(p, v); }
NGNN_INLINE __m256i vlanes_below(int n) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
NGNN_INLINE vf vloadn(const float *p, int n) { return _mm256_maskload_ps(p, vlanes_below(n)); }
NGNN_INLINE void vstoren(float *p, vf v, int n) { _mm256_maskstore_ps(p, vlanes_below(n), v); }
NGNN_INLINE vf vfma(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }
NGNN_INLINE vf vadd(vf a, vf b) { return _mm256_add_ps(a, b); }
NGNN_INLINE vf vsub(vf a, vf b) { return _mm256_sub_ps(a, b); }
NGNN_INLINE vf vmul(vf a, vf b) { return _mm256_mul_ps(a, b); }
NGNN_INLINE vf vdiv(vf a, vf b) { return _mm256_div_ps(a, b); }
NGNN_INLINE vf vsqrt(vf a) { return _mm256_sqrt_ps(a); }
NGNN_INLINE vf vrelu(vf a) { return _mm256_max_ps(a, _mm256_setzero_ps()); }
NGNN_INLINE uint64_t vposbits(vf a) {
  return (uint64_t)_mm256_movemask_ps(_mm256_cmp_ps(a, _mm256_setzero_ps(), _CMP_GT_OQ));
}
NGNN_INLINE uint64_t vnzbits(vf a) {
  return (uint64_t)_mm256_movemask_ps(_mm256_cmp_ps(a, _mm256_setzero_ps(), _CMP_NEQ_UQ));
}
NGNN_INLINE uint64_t vlebits(vf a, vf b) { return (uint64_t)_mm256_movemask_ps(_mm256_cmp_ps(a, b, _CMP_LE_OQ)); }
NGNN_INLINE vf vkeep_pos(vf a, vf ref) { return _mm256_and_ps(a, _mm256_cmp_ps(ref, _mm256_setzero_ps(), _CMP_GT_OQ)); }
NGNN_INLINE vf vzero_lane(vf a, int l) {
  return _mm256_andnot_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(_mm256_set1_epi32(l), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7))), a);
}
NGNN_INLINE float vhsum(vf a) {
  __m128 q = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
  q = _mm_add_ps(q, _mm_movehl_ps(q, q));
  q = _mm_add_ss(q, _mm_shuffle_ps(q, q, 1));
  return _mm_cvtss_f32(q);
}

#else
#include <math.h>
#ifndef NGNN_VW
#error "the translation unit sets NGNN_VW, the portable vector's lanes (isa_generic.c, isa_generic16.c)"
#endif
#define VW NGNN_VW
typedef float vf __attribute__((vector_size(VW * 4)));
typedef int32_t vi __attribute__((vector_size(VW * 4)));
NGNN_INLINE vf vzero(void) { return (vf){0}; }
NGNN_INLINE vf vset1(float x) {
  vf v;
  for (int l = 0; l < VW; l++) v[l] = x;
  return v;
}
NGNN_INLINE vf vload(const float *p) {
  vf v;
  memcpy(&v, p, sizeof v);
  return v;
}
NGNN_INLINE void vstore(float *p, vf v) { memcpy(p, &v, sizeof v); }
NGNN_INLINE vf vloadn(const float *p, int n) {
  vf v = {0};
  memcpy(&v, p, (size_t)n * 4);
  return v;
}
NGNN_INLINE void vstoren(float *p, vf v, int n) { memcpy(p, &v, (size_t)n * 4); }
#if defined(__aarch64__) && defined(__ARM_FEATURE_FMA)
/** a·b + c rounded once, lane by lane: compilers turn the loop into NEON's fmla. */
NGNN_INLINE vf vfma(vf a, vf b, vf c) {
  for (int l = 0; l < VW; l++) c[l] = __builtin_fmaf(a[l], b[l], c[l]);
  return c;
}
#else
NGNN_INLINE vf vfma(vf a, vf b, vf c) { return a * b + c; }
#endif
NGNN_INLINE vf vadd(vf a, vf b) { return a + b; }
NGNN_INLINE vf vsub(vf a, vf b) { return a - b; }
NGNN_INLINE vf vmul(vf a, vf b) { return a * b; }
NGNN_INLINE vf vdiv(vf a, vf b) { return a / b; }
NGNN_INLINE vf vsqrt(vf a) {
  for (int l = 0; l < VW; l++) a[l] = sqrtf(a[l]);
  return a;
}
NGNN_INLINE vf vrelu(vf a) { return (vf)((vi)a & (a > vzero())); }
NGNN_INLINE uint64_t vposbits(vf a) {
  uint64_t m = 0;
  for (int l = 0; l < VW; l++) m |= (uint64_t)(a[l] > 0) << l;
  return m;
}
NGNN_INLINE uint64_t vnzbits(vf a) {
  uint64_t m = 0;
  for (int l = 0; l < VW; l++) m |= (uint64_t)(a[l] != 0) << l;
  return m;
}
NGNN_INLINE uint64_t vlebits(vf a, vf b) {
  uint64_t m = 0;
  for (int l = 0; l < VW; l++) m |= (uint64_t)(a[l] <= b[l]) << l;
  return m;
}
NGNN_INLINE vf vkeep_pos(vf a, vf ref) { return (vf)((vi)a & (ref > vzero())); }
NGNN_INLINE vf vzero_lane(vf a, int l) {
  a[l] = 0;
  return a;
}
/** Pairwise sum, halves first: a fixed order. */
NGNN_INLINE float vhsum(vf a) {
  float t[VW];
  memcpy(t, &a, sizeof t);
  for (int w = VW / 2; w >= 1; w /= 2)
    for (int l = 0; l < w; l++) t[l] += t[l + w];
  return t[0];
}
#endif

/** Index of the lowest set bit of m ≠ 0. */
NGNN_INLINE int ctz64(uint64_t m) { return __builtin_ctzll(m); }

#endif
