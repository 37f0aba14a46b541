/*
 * The portable kernels: the baseline instruction set of the target (SSE2 on x86-64, NEON on aarch64),
 * 4 lanes, one register of either. At 8 lanes, x86-64's 16 registers spill the MLP and W kernels'
 * accumulators (the step ran 1.3-1.6x slower; README, Performance), and GCC keeps vectors wider than
 * NEON's 16 bytes on the stack on aarch64 (2.3x the instructions, 4x the stack accesses).
 */
#define NGNN_VW 4
#define NGNN_TABLE ngnn_table_generic
#define NGNN_ISA_NAME "generic"
#include "isa_template.h"
