/*
 * The SIREN layer ops (kern_siren.h) as JavaScript functions; argument order as in
 * src/kernels/native/addon.ts.
 */
#include <string.h>

#include "backend.h"

/* Multiply-adds per thread below which an op uses fewer threads (results do not depend on it). */
#define GRAIN_SIREN 200000

static int siren_threads(const backend *b, double work) {
  const double n = b->alwaysSplit ? b->threads : work / GRAIN_SIREN;
  return n >= b->threads ? b->threads : n < 1 ? 1 : (int)n;
}

/** The layer arguments shared by forward and backward: (h, P, nIn, nOut, W). */
static backend *siren_common(args_t *a, ngnn_siren *q) {
  memset(q, 0, sizeof *q);
  backend *b = backend_of(a);
  q->P = arg_int(a, 1, "P", 0, 1 << 26);
  q->nIn = arg_int(a, 2, "nIn", 1, 1 << 16);
  q->nOut = arg_int(a, 3, "nOut", 1, 1 << 16);
  q->W = arg_f32(a, 4, "W", (size_t)q->nIn * q->nOut, 0, NULL);
  return b;
}

/** sirenForward(h, P, nIn, nOut, W, b, X, omega0, sine, A, C | null). */
napi_value js_siren_forward(napi_env env, napi_callback_info info) {
  args_t a;
  ngnn_siren q;
  if (!args_get(env, info, 11, &a)) return NULL;
  backend *b = siren_common(&a, &q);
  const size_t P = (size_t)q.P, nIn = (size_t)q.nIn, nOut = (size_t)q.nOut;
  q.b = arg_f32(&a, 5, "b", nOut, 0, NULL);
  q.X = arg_f32(&a, 6, "X", P * nIn, 0, NULL);
  q.omega0 = (float)arg_num(&a, 7, "omega0");
  q.sine = arg_int(&a, 8, "sine", 0, 1);
  q.A = arg_f32(&a, 9, "A", P * nOut, 0, NULL);
  q.C = arg_f32(&a, 10, "C", P * nOut, 1, NULL);
  if (a.failed) return NULL;
  float *WT = backend_workspace(&a, b, nIn * nOut);
  if (!WT) return NULL;
  for (size_t o = 0; o < nOut; o++)
    for (size_t i = 0; i < nIn; i++) WT[i * nOut + o] = q.W[o * nIn + i];
  q.WT = WT;
  if (P) ngnn_pool_run(b->pool, b->k->siren_forward, &q, siren_threads(b, (double)P * nIn * nOut));
  return undefined(env);
}

/** sirenBackward(h, P, nIn, nOut, W, X, dA, C | null, dW, db, dX | null); dA is overwritten. */
napi_value js_siren_backward(napi_env env, napi_callback_info info) {
  args_t a;
  ngnn_siren q;
  if (!args_get(env, info, 11, &a)) return NULL;
  backend *b = siren_common(&a, &q);
  const size_t P = (size_t)q.P, nIn = (size_t)q.nIn, nOut = (size_t)q.nOut;
  q.X = arg_f32(&a, 5, "X", P * nIn, 0, NULL);
  q.dA = arg_f32(&a, 6, "dA", P * nOut, 0, NULL);
  q.C = arg_f32(&a, 7, "C", P * nOut, 1, NULL);
  q.dW = arg_f32(&a, 8, "dW", nIn * nOut, 0, NULL);
  q.db = arg_f32(&a, 9, "db", nOut, 0, NULL);
  q.dX = arg_f32(&a, 10, "dX", P * nIn, 1, NULL);
  if (a.failed) return NULL;
  if (!P) return undefined(env);
  const double work = (double)P * nIn * nOut;
  if (q.C || q.dX) ngnn_pool_run(b->pool, b->k->siren_backward_points, &q, siren_threads(b, q.dX ? work : (double)P * nOut));
  ngnn_pool_run(b->pool, b->k->siren_backward_rows, &q, siren_threads(b, work));
  return undefined(env);
}
