/*
 * The AVX-512 kernels' exact source (simd.h's NGNN_AVX512 branch) on SIMDe's portable AVX-512F,
 * which runs on AVX2: so that the tests check the avx512 table's intrinsics, masks and lane
 * widths on CPUs without AVX-512. Built only where SIMDe's headers are installed (Debian:
 * libsimde-dev; scripts/build-native.mjs looks), never chosen automatically.
 */
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <immintrin.h>
#include <simde/x86/avx512.h>

/* The two intrinsics SIMDe 0.7.4 lacks, as Intel defines them: masked-off lanes are neither read
 * nor written (the load gives 0 there). */
static inline simde__m512 ngnn_e_maskz_loadu_ps(simde__mmask16 k, const void *p) {
  simde__m512_private r = simde__m512_to_private(simde_mm512_setzero_ps());
  for (int l = 0; l < 16; l++)
    if (k >> l & 1) r.f32[l] = ((const float *)p)[l];
  return simde__m512_from_private(r);
}
static inline void ngnn_e_mask_storeu_ps(void *p, simde__mmask16 k, simde__m512 a) {
  simde__m512_private v = simde__m512_to_private(a);
  for (int l = 0; l < 16; l++)
    if (k >> l & 1) ((float *)p)[l] = v.f32[l];
}
#ifndef _mm512_maskz_loadu_ps
#define _mm512_maskz_loadu_ps ngnn_e_maskz_loadu_ps
#endif
#ifndef _mm512_mask_storeu_ps
#define _mm512_mask_storeu_ps ngnn_e_mask_storeu_ps
#endif

#define NGNN_AVX512
#define NGNN_TABLE ngnn_table_avx512e
#define NGNN_ISA_NAME "avx512e"
#include "isa_template.h"
