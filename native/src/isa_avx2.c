/* The AVX2 + FMA kernels (compiled with -mavx2 -mfma; run only where the CPU has both). */
#define NGNN_AVX2
#define NGNN_TABLE ngnn_table_avx2
#define NGNN_ISA_NAME "avx2"
#include "isa_template.h"
