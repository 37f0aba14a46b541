/*
 * The N-API addon of the native backend. A handle (an External) owns a thread pool and the chosen
 * kernel table; ops take plain Float32Arrays and pass their memory to the kernels without copying.
 * Every op checks the arrays' lengths against the shapes it is given, so a wrong call throws
 * instead of touching memory out of bounds. Shapes and semantics: src/kernels/backend.ts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "cpu.h"

#define MAGIC 0x6e676e6eu

/** Stops the pool and frees the workspace (the handle itself stays valid until finalised). */
static void release(backend *b) {
  if (!b->pool) return;
  ngnn_pool_destroy(b->pool);
  b->pool = NULL;
  free(b->ws);
  b->ws = NULL;
  b->wsFloats = 0;
  backend_free_pwl(b);
}

/** At environment teardown (process exit, worker exit): join the threads. */
static void cleanup_hook(void *arg) { release((backend *)arg); }

/** When the handle is garbage-collected. */
static void finalize(napi_env env, void *data, void *hint) {
  backend *b = (backend *)data;
  if (b->pool) napi_remove_env_cleanup_hook(env, cleanup_hook, b);
  release(b);
  b->magic = 0;
  free(b);
}

backend *backend_of(args_t *a) {
  backend *b = (backend *)arg_external(a, 0);
  if (!b) return NULL;
  if (b->magic != MAGIC) {
    throw_err(a, "not a native backend handle");
    return NULL;
  }
  if (!b->pool) {
    throw_err(a, "the backend is closed");
    return NULL;
  }
  return b;
}

float *backend_workspace(args_t *a, backend *b, size_t n) {
  if (b->wsFloats >= n) return b->ws;
  free(b->ws);
  b->wsFloats = 0;
  size_t bytes = (n * sizeof(float) + 63) / 64 * 64;
  b->ws = (float *)aligned_alloc(64, bytes);
  if (!b->ws) {
    throw_err(a, "out of memory");
    return NULL;
  }
  b->wsFloats = n;
  return b->ws;
}

napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

static void set_prop(napi_env env, napi_value obj, const char *key, napi_value v) { napi_set_named_property(env, obj, key, v); }

static napi_value str(napi_env env, const char *s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

static napi_value num(napi_env env, double x) {
  napi_value v;
  napi_create_double(env, x, &v);
  return v;
}

/** info() → { isas: the tables this CPU runs, best first }. */
static napi_value js_info(napi_env env, napi_callback_info info) {
  napi_value out, list;
  napi_create_object(env, &out);
  napi_create_array(env, &list);
  uint32_t n = 0;
  for (int k = 0; NGNN_ISAS[k]; k++) {
    if (ngnn_isa_supported(NGNN_ISAS[k])) napi_set_element(env, list, n++, str(env, NGNN_ISAS[k]));
  }
  set_prop(env, out, "isas", list);
  return out;
}

/** create(threads, isa | "", piecewise, alwaysSplit) → { handle, isa, threads, lanes }. */
static napi_value js_create(napi_env env, napi_callback_info info) {
  args_t a;
  if (!args_get(env, info, 4, &a)) return NULL;
  int threads = arg_int(&a, 0, "threads", 1, 1024);
  bool piecewise = true, alwaysSplit = false;
  if (!a.failed && (napi_get_value_bool(env, a.argv[2], &piecewise) != napi_ok || napi_get_value_bool(env, a.argv[3], &alwaysSplit) != napi_ok)) {
    throw_err(&a, "piecewise and alwaysSplit must be booleans");
  }
  char isa[32] = {0};
  size_t len = 0;
  if (!a.failed && napi_get_value_string_utf8(env, a.argv[1], isa, sizeof isa, &len) != napi_ok) throw_err(&a, "isa must be a string");
  if (a.failed) return NULL;
  const ngnn_table *k = ngnn_select(isa);
  if (!k) {
    char msg[96];
    snprintf(msg, sizeof msg, "this CPU cannot run the \"%s\" kernels", isa);
    throw_err(&a, msg);
    return NULL;
  }
  backend *b = (backend *)calloc(1, sizeof *b);
  if (!b) return throw_err(&a, "out of memory"), NULL;
  b->magic = MAGIC;
  b->env = env;
  b->k = k;
  b->threads = threads;
  b->piecewise = piecewise;
  b->alwaysSplit = alwaysSplit;
  b->pool = ngnn_pool_create(threads);
  if (!b->pool) {
    free(b);
    throw_err(&a, "cannot start the worker threads");
    return NULL;
  }
  napi_value h, out;
  napi_create_external(env, b, finalize, NULL, &h);
  napi_add_env_cleanup_hook(env, cleanup_hook, b);
  napi_create_object(env, &out);
  set_prop(env, out, "handle", h);
  set_prop(env, out, "isa", str(env, k->name));
  set_prop(env, out, "threads", num(env, threads));
  set_prop(env, out, "lanes", num(env, k->lanes));
  return out;
}

/** close(handle): stops the threads now (later calls throw). */
static napi_value js_close(napi_env env, napi_callback_info info) {
  args_t a;
  if (!args_get(env, info, 1, &a)) return NULL;
  backend *b = (backend *)arg_external(&a, 0);
  if (!b || b->magic != MAGIC) return NULL;
  if (b->pool) napi_remove_env_cleanup_hook(env, cleanup_hook, b);
  release(b);
  return undefined(env);
}

/** alloc(n) → a zeroed Float32Array of n elements whose data is 64-byte aligned. */
static napi_value js_alloc(napi_env env, napi_callback_info info) {
  args_t a;
  if (!args_get(env, info, 1, &a)) return NULL;
  double n = arg_num(&a, 0, "n");
  if (!a.failed && !(n >= 0 && n <= (double)(1u << 30) && n == (double)(size_t)n)) throw_err(&a, "alloc: bad length");
  if (a.failed) return NULL;
  void *data = NULL;
  napi_value buf, arr;
  if (napi_create_arraybuffer(env, (size_t)n * 4 + 64, &data, &buf) != napi_ok) return throw_err(&a, "out of memory"), NULL;
  memset(data, 0, (size_t)n * 4 + 64);
  size_t off = (64 - (uintptr_t)data % 64) % 64;
  napi_create_typedarray(env, napi_float32_array, (size_t)n, buf, off, &arr);
  return arr;
}

NAPI_MODULE_INIT() {
  const napi_property_descriptor props[] = {
      {"info", NULL, js_info, NULL, NULL, NULL, napi_enumerable, NULL},
      {"create", NULL, js_create, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_enumerable, NULL},
      {"alloc", NULL, js_alloc, NULL, NULL, NULL, napi_enumerable, NULL},
      {"mlpForward", NULL, js_mlp_forward, NULL, NULL, NULL, napi_enumerable, NULL},
      {"mlpBackward", NULL, js_mlp_backward, NULL, NULL, NULL, napi_enumerable, NULL},
      {"messages", NULL, js_messages, NULL, NULL, NULL, napi_enumerable, NULL},
      {"messagesBackward", NULL, js_messages_backward, NULL, NULL, NULL, napi_enumerable, NULL},
      {"messagesBackwardAdamW", NULL, js_messages_backward_adam, NULL, NULL, NULL, napi_enumerable, NULL},
      {"adam", NULL, js_adam, NULL, NULL, NULL, napi_enumerable, NULL},
      {"pdeSteps", NULL, js_pde_steps, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sirenForward", NULL, js_siren_forward, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sirenBackward", NULL, js_siren_backward, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
