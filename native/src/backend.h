/* The native backend's handle, shared by the addon's lifecycle functions (addon.c) and ops (ops.c). */
#ifndef NGNN_BACKEND_H
#define NGNN_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "kernels.h"
#include "napi_util.h"
#include "pool.h"

typedef struct {
  uint32_t magic;
  napi_env env;
  ngnn_pool *pool; /* NULL once closed */
  const ngnn_table *k;
  int threads;
  float *ws; /* workspace: transposed weights, partial gradients, per-thread scratch */
  size_t wsFloats;
  int piecewise;   /* MLPs with one input through their piecewise-linear form (kern_pwl.h) */
  int alwaysSplit; /* every op on all threads, however small (for tests) */
  /* The piecewise-linear tables, kept while the weights they were built from (key) do not change. */
  ngnn_pwl pwl;
  float *pwlMem, *pwlKey;
  size_t pwlKeyFloats;
} backend;

/** The open backend of argument 0 (throws and returns NULL otherwise). */
backend *backend_of(args_t *a);
/** A workspace of at least n floats, 64-byte aligned; its contents are not kept between calls. */
float *backend_workspace(args_t *a, backend *b, size_t n);
napi_value undefined(napi_env env);
/** Frees the piecewise-linear tables (addon.c's release). */
void backend_free_pwl(backend *b);

napi_value js_mlp_forward(napi_env env, napi_callback_info info);
napi_value js_mlp_backward(napi_env env, napi_callback_info info);
napi_value js_messages(napi_env env, napi_callback_info info);
napi_value js_messages_backward(napi_env env, napi_callback_info info);
napi_value js_messages_backward_adam(napi_env env, napi_callback_info info);
napi_value js_adam(napi_env env, napi_callback_info info);
napi_value js_pde_steps(napi_env env, napi_callback_info info);
napi_value js_siren_forward(napi_env env, napi_callback_info info);
napi_value js_siren_backward(napi_env env, napi_callback_info info);

#endif
