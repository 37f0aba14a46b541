/* The piecewise-linear tables of an MLP [1, H, H, 1] (ngnn_pwl in kernels.h; kernels in kern_pwl.h). */
#ifndef NGNN_PWL_H
#define NGNN_PWL_H

#include "kernels.h"

/** Floats of table memory for width H (t, c, A, Z, alpha, gamma, mask, finish scratch). */
size_t ngnn_pwl_floats(int H);
/** Lays out w's tables in `mem` (ngnn_pwl_floats(H) floats, 64-byte aligned) and fills them. */
void ngnn_pwl_build(ngnn_pwl *w, float *mem, int H, const float *w0, const float *b0, const float *W1, const float *b1);
/** Partial-sum offsets of the backward pass for w (after build); returns the block length P. */
int ngnn_pwl_partial_layout(ngnn_pwl *w, int H);

#endif
