/* Run-time choice of the kernel table by CPU features. */
#include "cpu.h"

#include <string.h>

/** Whether this CPU (and OS) can run table `name`. */
static int supported(const char *name) {
  if (strcmp(name, "generic") == 0 || strcmp(name, "generic16") == 0) return 1;
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  const int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("popcnt");
  if (strcmp(name, "avx2") == 0) return avx2;
  if (strcmp(name, "avx512") == 0) return avx2 && __builtin_cpu_supports("avx512f");
  if (strcmp(name, "avx512e") == 0) return avx2;
#endif
  return 0;
}

static const ngnn_table *by_name(const char *name) {
#if defined(__x86_64__) || defined(_M_X64)
  if (strcmp(name, "avx512") == 0) return &ngnn_table_avx512;
  if (strcmp(name, "avx2") == 0) return &ngnn_table_avx2;
#endif
#if defined(NGNN_HAVE_AVX512E)
  if (strcmp(name, "avx512e") == 0) return &ngnn_table_avx512e;
#endif
  if (strcmp(name, "generic") == 0) return &ngnn_table_generic;
  if (strcmp(name, "generic16") == 0) return &ngnn_table_generic16;
  return NULL;
}

/* generic always runs, so the automatic choice never reaches generic16 or avx512e (test paths:
 * the AVX-512 kernels' logic at 16 portable lanes, and their source on emulated AVX-512). */
const char *const NGNN_ISAS[] = {"avx512", "avx2", "generic", "generic16", "avx512e", NULL};

const ngnn_table *ngnn_select(const char *want) {
  if (want && *want) return by_name(want) && supported(want) ? by_name(want) : NULL;
  for (int k = 0; NGNN_ISAS[k]; k++) {
    if (by_name(NGNN_ISAS[k]) && supported(NGNN_ISAS[k])) return by_name(NGNN_ISAS[k]);
  }
  return &ngnn_table_generic;
}

int ngnn_isa_supported(const char *name) { return by_name(name) != NULL && supported(name); }
