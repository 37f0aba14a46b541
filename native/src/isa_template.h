/*
 * One instruction set's kernel table: the including file defines NGNN_AVX512, NGNN_AVX2 or neither
 * (portable) and NGNN_TABLE, the table's name, and is compiled with that ISA's flags.
 */
#include <math.h>

#include "kernels.h"
#include "pool.h"
#include "simd.h"

/* CALL(k) with k = n as a compile-time constant for n = 1 … 7, and k = 8 otherwise (register blocking). */
#define NGNN_SWITCH8(n, CALL) \
  switch (n) {                \
    case 1: CALL(1); break;   \
    case 2: CALL(2); break;   \
    case 3: CALL(3); break;   \
    case 4: CALL(4); break;   \
    case 5: CALL(5); break;   \
    case 6: CALL(6); break;   \
    case 7: CALL(7); break;   \
    default: CALL(8); break;  \
  }

#include "kern_mlp.h"
#include "kern_pwl.h"
#include "kern_w.h"
#include "kern_pde.h"
#include "kern_siren.h"

const ngnn_table NGNN_TABLE = {
    .name = NGNN_ISA_NAME,
    .lanes = VW,
    .mlp_forward = mlp_forward,
    .mlp_backward = mlp_backward,
    .mlp_reduce = mlp_reduce,
    .pwl_forward = pwl_forward,
    .pwl_backward = pwl_backward,
    .pwl_finish = pwl_finish,
    .messages = messages,
    .messages_backward = messages_backward,
    .adam = adam,
    .pde_steps = pde_steps,
    .siren_forward = siren_forward,
    .siren_backward_points = siren_backward_points,
    .siren_backward_rows = siren_backward_rows,
};
