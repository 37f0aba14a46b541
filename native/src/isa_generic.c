/* The portable kernels: the baseline instruction set of the target (SSE2 on x86-64, NEON on aarch64). */
#define NGNN_TABLE ngnn_table_generic
#define NGNN_ISA_NAME "generic"
#include "isa_template.h"
