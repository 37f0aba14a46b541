/* The AVX-512 kernels (compiled with -mavx512f; run only where the CPU and the OS support it). */
#define NGNN_AVX512
#define NGNN_TABLE ngnn_table_avx512
#define NGNN_ISA_NAME "avx512"
#include "isa_template.h"
