/* Small N-API helpers: argument access with checks that throw JavaScript errors. */
#ifndef NGNN_NAPI_UTIL_H
#define NGNN_NAPI_UTIL_H

#define NAPI_VERSION 8
#include <node_api.h>
#include <stddef.h>

#define NGNN_MAX_ARGS 24

/** The arguments of a call. */
typedef struct {
  napi_env env;
  size_t argc;
  napi_value argv[NGNN_MAX_ARGS];
  void *data;
  int failed; /* an exception is pending */
} args_t;

/** Reads the call's arguments; fails (throws) when fewer than `need`. */
int args_get(napi_env env, napi_callback_info info, size_t need, args_t *a);
/** Argument k as a number; an int must be in [lo, hi]. */
double arg_num(args_t *a, size_t k, const char *name);
int arg_int(args_t *a, size_t k, const char *name, int lo, int hi);
/** Argument k as a Float32Array of at least `min` elements, or NULL (throws) — or NULL without
 * throwing when `optional` and the value is null/undefined. Its length goes to *len when given. */
float *arg_f32(args_t *a, size_t k, const char *name, size_t min, int optional, size_t *len);
/** Argument k as an array of at least n Float32Arrays, element e of at least mins[e] elements, into out[0 … n)
 * (returns 0 and throws otherwise). */
int arg_f32_list(args_t *a, size_t k, const char *name, size_t n, const size_t *mins, float **out);
/** Argument k as the data of an External. */
void *arg_external(args_t *a, size_t k);
/** Throws an Error "native backend: <msg>" (once) and marks the call failed. */
void throw_err(args_t *a, const char *msg);

#endif
