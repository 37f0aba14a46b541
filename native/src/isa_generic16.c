/*
 * The portable kernels at 16 lanes: the logic of the AVX-512 kernels (chunk widths, split sums,
 * masks) on the baseline instruction set, so that tests can check it on CPUs without AVX-512.
 * Never chosen automatically.
 */
#define NGNN_VW 16
#define NGNN_TABLE ngnn_table_generic16
#define NGNN_ISA_NAME "generic16"
#include "isa_template.h"
