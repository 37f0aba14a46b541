/*
 * The interval tables of an MLP [1, H, H, 1] seen as a piecewise-linear function of x (kern_pwl.h).
 * Unit k of h1 = relu(w0_k x + b0_k) switches at x = −b0_k / w0_k (on going up when w0_k > 0, off
 * when w0_k < 0); units with w0_k = 0 never switch. Sweeping the sorted breakpoints upwards, the
 * slope A = W1 (w0 ⊙ m) and offset B = W1 (b0 ⊙ m) + b1 of z2 change by ±(w0_k, b0_k) W1[:, k] at
 * each one (m: the active units). Computed in float64, stored in float32:
 *   A_j = A,  Z_j = A c_j + B (z2 at the centre c_j),  alpha_j = w0 ⊙ m,  gamma_j = (w0 c_j + b0) ⊙ m.
 * Centres: midpoints of the finite intervals, the end breakpoints for the two unbounded ones.
 * src/kernels/pwl-tables.ts builds the same tables for the wasm backend: change both together.
 */
#include "pwl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t pad16(size_t n) { return (n + 15) / 16 * 16; }

size_t ngnn_pwl_floats(int H) {
  const size_t h = (size_t)H, tab = pad16((h + 1) * h);
  return pad16(h) + pad16(h + 1) + 5 * tab + pad16(3 * h);
}

void ngnn_pwl_build(ngnn_pwl *w, float *mem, int H, const float *w0, const float *b0, const float *W1, const float *b1) {
  const size_t h = (size_t)H, tab = pad16((h + 1) * h);
  w->t = mem;
  w->c = w->t + pad16(h);
  w->A = w->c + pad16(h + 1);
  w->Z = w->A + tab;
  w->alpha = w->Z + tab;
  w->gamma = w->alpha + tab;
  w->mask = w->gamma + tab;
  w->scratch = w->mask + tab;

  int order[NGNN_MAX_H] = {0}, active[NGNN_MAX_H], m = 0;
  double tk[NGNN_MAX_H], A[NGNN_MAX_H], B[NGNN_MAX_H];
  for (int k = 0; k < H; k++) {
    tk[k] = w0[k] != 0 ? -(double)b0[k] / w0[k] : NAN;
    if (!isnan(tk[k])) order[m++] = k;
    active[k] = isnan(tk[k]) ? b0[k] > 0 : w0[k] < 0; // as x → −∞
  }
  for (int a = 1; a < m; a++) { // insertion sort by (t, k)
    const int k = order[a];
    int b = a;
    for (; b > 0 && tk[order[b - 1]] > tk[k]; b--) order[b] = order[b - 1];
    order[b] = k;
  }
  for (int o = 0; o < H; o++) {
    A[o] = 0;
    B[o] = b1[o];
  }
  for (int k = 0; k < H; k++) {
    if (!active[k]) continue;
    for (int o = 0; o < H; o++) {
      A[o] += (double)w0[k] * W1[(size_t)o * h + k];
      B[o] += (double)b0[k] * W1[(size_t)o * h + k];
    }
  }
  for (int j = 0; j <= m; j++) {
    const double c = m == 0 ? 0 : j == 0 ? tk[order[0]] : j == m ? tk[order[m - 1]] : 0.5 * (tk[order[j - 1]] + tk[order[j]]);
    const float cf = (float)c;
    w->c[j] = cf;
    float *Aj = w->A + (size_t)j * h, *Zj = w->Z + (size_t)j * h;
    float *al = w->alpha + (size_t)j * h, *ga = w->gamma + (size_t)j * h, *mk = w->mask + (size_t)j * h;
    for (int o = 0; o < H; o++) {
      Aj[o] = (float)A[o];
      Zj[o] = (float)(A[o] * cf + B[o]);
    }
    for (int k = 0; k < H; k++) {
      al[k] = active[k] ? w0[k] : 0;
      ga[k] = active[k] ? (float)((double)w0[k] * cf + b0[k]) : 0;
      mk[k] = active[k] ? 1.0f : 0.0f;
    }
    if (j == m) break;
    const int k = order[j]; // cross breakpoint j going up
    active[k] = w0[k] > 0;
    const double s = w0[k] > 0 ? 1 : -1;
    for (int o = 0; o < H; o++) {
      A[o] += s * w0[k] * W1[(size_t)o * h + k];
      B[o] += s * b0[k] * W1[(size_t)o * h + k];
    }
  }
  w->nI = m + 1;
  for (int i = 0; i < H; i++) w->t[i] = i < m ? (float)tk[order[i]] : INFINITY;
}

int ngnn_pwl_partial_layout(ngnn_pwl *w, int H) {
  const size_t tab = pad16((size_t)w->nI * H);
  w->offU = 0;
  w->offV = (int)tab;
  w->offW2 = (int)(2 * tab);
  w->offB2 = w->offW2 + (int)pad16((size_t)H);
  return w->offB2 + 16;
}
