/* N-API argument helpers (napi_util.h). */
#include "napi_util.h"

#include <stdio.h>

void throw_err(args_t *a, const char *msg) {
  if (a->failed) return;
  a->failed = 1;
  char buf[256];
  snprintf(buf, sizeof buf, "native backend: %s", msg);
  napi_throw_error(a->env, NULL, buf);
}

int args_get(napi_env env, napi_callback_info info, size_t need, args_t *a) {
  a->env = env;
  a->failed = 0;
  a->argc = NGNN_MAX_ARGS;
  if (napi_get_cb_info(env, info, &a->argc, a->argv, NULL, &a->data) != napi_ok) {
    throw_err(a, "cannot read the arguments");
    return 0;
  }
  if (a->argc < need) {
    char msg[96];
    snprintf(msg, sizeof msg, "%zu arguments given, %zu needed", a->argc, need);
    throw_err(a, msg);
    return 0;
  }
  return 1;
}

double arg_num(args_t *a, size_t k, const char *name) {
  double v = 0;
  if (a->failed) return 0;
  if (napi_get_value_double(a->env, a->argv[k], &v) != napi_ok) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a number", name);
    throw_err(a, msg);
  }
  return v;
}

int arg_int(args_t *a, size_t k, const char *name, int lo, int hi) {
  double v = arg_num(a, k, name);
  if (a->failed) return 0;
  if (!(v >= lo && v <= hi) || v != (double)(int)v) {
    char msg[128];
    snprintf(msg, sizeof msg, "%s = %g must be an integer in [%d, %d]", name, v, lo, hi);
    throw_err(a, msg);
    return 0;
  }
  return (int)v;
}

/** arg_f32 on a value. */
static float *f32_of(args_t *a, napi_value v, const char *name, size_t min, int optional, size_t *len) {
  if (a->failed) return NULL;
  napi_valuetype t;
  napi_typeof(a->env, v, &t);
  if (optional && (t == napi_null || t == napi_undefined)) return NULL;
  bool is = false;
  napi_is_typedarray(a->env, v, &is);
  napi_typedarray_type type;
  size_t n = 0;
  void *data = NULL;
  if (is) napi_get_typedarray_info(a->env, v, &type, &n, &data, NULL, NULL);
  char msg[160];
  if (!is || type != napi_float32_array) {
    snprintf(msg, sizeof msg, "%s must be a Float32Array", name);
    throw_err(a, msg);
    return NULL;
  }
  if (n < min) {
    snprintf(msg, sizeof msg, "%s has %zu elements, %zu needed", name, n, min);
    throw_err(a, msg);
    return NULL;
  }
  if (len) *len = n;
  return (float *)data;
}

float *arg_f32(args_t *a, size_t k, const char *name, size_t min, int optional, size_t *len) {
  return f32_of(a, a->argv[k], name, min, optional, len);
}

int arg_f32_list(args_t *a, size_t k, const char *name, size_t n, const size_t *mins, float **out) {
  if (a->failed) return 0;
  bool is = false;
  uint32_t len = 0;
  napi_is_array(a->env, a->argv[k], &is);
  if (is) napi_get_array_length(a->env, a->argv[k], &len);
  char msg[96];
  if (!is || len < n) {
    snprintf(msg, sizeof msg, "%s must be an array of at least %zu Float32Arrays", name, n);
    throw_err(a, msg);
    return 0;
  }
  for (size_t e = 0; e < n && !a->failed; e++) {
    napi_value v;
    if (napi_get_element(a->env, a->argv[k], (uint32_t)e, &v) != napi_ok) {
      throw_err(a, "cannot read an array element");
      return 0;
    }
    snprintf(msg, sizeof msg, "%s[%zu]", name, e);
    out[e] = f32_of(a, v, msg, mins[e], 0, NULL);
  }
  return !a->failed;
}

void *arg_external(args_t *a, size_t k) {
  void *p = NULL;
  if (a->failed) return NULL;
  if (napi_get_value_external(a->env, a->argv[k], &p) != napi_ok || !p) throw_err(a, "not a native backend handle");
  return p;
}
