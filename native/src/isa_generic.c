/*
 * The portable kernels: the baseline instruction set of the target (SSE2 on x86-64, NEON on aarch64).
 * On x86-64, 4 lanes (one SSE2 register): at 8, two registers per vector spill the MLP and W kernels'
 * accumulators (16 registers), and the step ran 1.3-1.6x slower (README, Performance). aarch64 (32
 * registers) keeps the default 8.
 */
#if defined(__x86_64__)
#define NGNN_VW 4
#endif
#define NGNN_TABLE ngnn_table_generic
#define NGNN_ISA_NAME "generic"
#include "isa_template.h"
