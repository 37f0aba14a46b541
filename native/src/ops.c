/*
 * The backend ops as JavaScript functions: check the shapes and array lengths, lay out the
 * workspace, run the kernels on the pool. Argument order: the handle first, then as in
 * src/kernels/native/backend.ts.
 */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "pwl.h"

/*
 * Work per thread below which an op uses fewer threads (waking a worker costs microseconds, and
 * much more on a loaded machine): in samples of a forward pass, gradient blocks, multiply-adds of
 * the message products, Adam elements, additions of the block reduction. Results do not depend
 * on it (nor on the thread count).
 */
#define GRAIN_FORWARD 256
#define GRAIN_PWL_FORWARD 4096
#define GRAIN_BLOCKS 1
#define GRAIN_MESSAGES 400000
#define GRAIN_ADAM 65536
#define GRAIN_REDUCE 262144
#define GRAIN_PDE_STEP 250000

/** The number of threads for `work` units at `grain` units per thread at least. */
static int threads_for(const backend *b, double work, double grain) {
  const double n = b->alwaysSplit ? b->threads : work / grain;
  return n >= b->threads ? b->threads : n < 1 ? 1 : (int)n;
}

/**
 * The MLP arguments shared by forward and backward: (h, S, nIn, H, nh, layers, X, acts), layers =
 * [W0, b0, W_1, b_1, …, W_{nh−1}, b_{nh−1}, wOut, bOut] (PyTorch's [out, in] layout), acts: nh arrays [S, H].
 */
typedef struct {
  backend *b;
  ngnn_mlp q;
  const float *W0;
} mlp_args;

static int mlp_common(args_t *a, mlp_args *m) {
  memset(m, 0, sizeof *m);
  m->b = backend_of(a);
  const int S = arg_int(a, 1, "S", 0, 1 << 30);
  const int nIn = arg_int(a, 2, "nIn", 1, 4096);
  const int H = arg_int(a, 3, "H", 16, NGNN_MAX_H);
  const int nh = arg_int(a, 4, "nh", 1, NGNN_MAX_HIDDEN);
  if (!a->failed && H % 16 != 0) throw_err(a, "the hidden width H must be a multiple of 16");
  if (a->failed) return 0;
  const size_t sS = (size_t)S, sH = (size_t)H, nL = 2 * (size_t)nh + 2;
  size_t mins[2 * NGNN_MAX_HIDDEN + 2];
  float *L[2 * NGNN_MAX_HIDDEN + 2];
  for (size_t e = 0; e < nL; e++) mins[e] = e == 0 ? sH * nIn : e == nL - 1 ? 1 : e % 2 ? sH : e == nL - 2 ? sH : sH * sH;
  if (!arg_f32_list(a, 5, "layers", nL, mins, L)) return 0;
  m->q.X = arg_f32(a, 6, "X", sS * nIn, 0, NULL);
  for (int e = 0; e < nh; e++) mins[e] = sS * sH;
  if (!arg_f32_list(a, 7, "acts", (size_t)nh, mins, m->q.A)) return 0;
  m->q.S = S;
  m->q.nIn = nIn;
  m->q.H = H;
  m->q.nh = nh;
  m->W0 = L[0];
  m->q.b0 = L[1];
  for (int l = 1; l < nh; l++) {
    m->q.W[l] = L[2 * l];
    m->q.b[l] = L[2 * l + 1];
  }
  m->q.wOut = L[nL - 2];
  m->q.bOut = *L[nL - 1];
  return !a->failed;
}

void backend_free_pwl(backend *b) {
  free(b->pwlMem);
  free(b->pwlKey);
  b->pwlMem = b->pwlKey = NULL;
  b->pwlKeyFloats = 0;
}

/**
 * The piecewise-linear tables of an MLP [1, H, H, 1] with these weights (kept from the last call
 * when the weights are the same: the forward and backward passes of one step share them), or NULL
 * (thrown) when out of memory.
 */
static const ngnn_pwl *pwl_tables(args_t *a, mlp_args *m) {
  backend *b = m->b;
  const int H = m->q.H;
  const size_t sH = (size_t)H, nKey = 2 * sH + sH * sH + sH;
  if (b->pwlKey && b->pwlKeyFloats == nKey && memcmp(b->pwlKey, m->W0, sH * 4) == 0 &&
      memcmp(b->pwlKey + sH, m->q.b0, sH * 4) == 0 && memcmp(b->pwlKey + 2 * sH, m->q.W[1], sH * sH * 4) == 0 &&
      memcmp(b->pwlKey + 2 * sH + sH * sH, m->q.b[1], sH * 4) == 0) {
    return &b->pwl;
  }
  backend_free_pwl(b);
  b->pwlMem = (float *)aligned_alloc(64, (ngnn_pwl_floats(H) * 4 + 63) / 64 * 64);
  b->pwlKey = (float *)malloc(nKey * 4);
  if (!b->pwlMem || !b->pwlKey) {
    backend_free_pwl(b);
    throw_err(a, "out of memory");
    return NULL;
  }
  ngnn_pwl_build(&b->pwl, b->pwlMem, H, m->W0, m->q.b0, m->q.W[1], m->q.b[1]);
  memcpy(b->pwlKey, m->W0, sH * 4);
  memcpy(b->pwlKey + sH, m->q.b0, sH * 4);
  memcpy(b->pwlKey + 2 * sH, m->q.W[1], sH * sH * 4);
  memcpy(b->pwlKey + 2 * sH + sH * sH, m->q.b[1], sH * 4);
  b->pwlKeyFloats = nKey;
  return &b->pwl;
}

/** W0T[c, o] = W0[o, c] into ws. */
static void transpose_w0(const mlp_args *m, float *W0T) {
  const int H = m->q.H, nIn = m->q.nIn;
  for (int o = 0; o < H; o++)
    for (int c = 0; c < nIn; c++) W0T[(size_t)c * H + o] = m->W0[(size_t)o * nIn + c];
}

/** Whether an MLP goes through its piecewise-linear form: [1, H, H, 1] on a backend that uses it. */
static int use_pwl(const mlp_args *m) { return m->q.nIn == 1 && m->q.nh == 2 && m->b->piecewise; }

/** mlpForward(h, S, nIn, H, nh, layers, X, acts, y): writes y and acts[1 … nh−1] (h_0 is recomputed by the backward pass). */
napi_value js_mlp_forward(napi_env env, napi_callback_info info) {
  args_t a;
  mlp_args m;
  if (!args_get(env, info, 9, &a) || !mlp_common(&a, &m)) return NULL;
  const size_t H = (size_t)m.q.H, nIn = (size_t)m.q.nIn;
  m.q.y = arg_f32(&a, 8, "y", (size_t)m.q.S, 0, NULL);
  if (a.failed) return NULL;
  if (m.q.S == 0) return undefined(env);
  if (use_pwl(&m)) {
    m.q.W0T = m.W0;
    if (!(m.q.pwl = pwl_tables(&a, &m))) return NULL;
    ngnn_pool_run(m.b->pool, m.b->k->pwl_forward, &m.q, threads_for(m.b, m.q.S, GRAIN_PWL_FORWARD));
    return undefined(env);
  }
  float *ws = backend_workspace(&a, m.b, nIn * H + (size_t)(m.q.nh - 1) * H * H);
  if (!ws) return NULL;
  float *W0T = ws;
  transpose_w0(&m, W0T);
  m.q.W0T = W0T;
  for (int l = 1; l < m.q.nh; l++) { // WT_l[k, o] = W_l[o, k]
    float *WT = ws + nIn * H + (size_t)(l - 1) * H * H;
    for (size_t o = 0; o < H; o++)
      for (size_t k = 0; k < H; k++) WT[k * H + o] = m.q.W[l][o * H + k];
    m.q.WT[l] = WT;
  }
  ngnn_pool_run(m.b->pool, m.b->k->mlp_forward, &m.q, threads_for(m.b, m.q.S, GRAIN_FORWARD));
  return undefined(env);
}

/** The caller's gradients g (layers' layout) += r, laid out as the partial gradients (kernels.h; dW0T transposed back). */
static void add_gradients(const float *r, int nIn, int H, int nh, float *const *g) {
  for (int c = 0; c < nIn; c++)
    for (int o = 0; o < H; o++) g[0][(size_t)o * nIn + c] += *r++;
  for (int o = 0; o < H; o++) g[1][o] += *r++;
  for (int l = 1; l < nh; l++) {
    for (size_t e = 0; e < (size_t)H * H; e++) g[2 * l][e] += *r++;
    for (int o = 0; o < H; o++) g[2 * l + 1][o] += *r++;
  }
  for (int o = 0; o < H; o++) g[2 * nh][o] += *r++;
  g[2 * nh + 1][0] += *r;
}

/** The backward pass of an MLP [1, H, H, 1] through its piecewise-linear form (kern_pwl.h). */
static napi_value pwl_backward(args_t *a, mlp_args *m, float *const *g) {
  const ngnn_pwl *w = pwl_tables(a, m);
  if (!w) return NULL;
  const int H = m->q.H;
  const int P = ngnn_pwl_partial_layout(&m->b->pwl, H);
  const int nBlocks = (int)(((size_t)m->q.S + NGNN_PWL_BLOCK - 1) / NGNN_PWL_BLOCK);
  float *ws = backend_workspace(a, m->b, (size_t)(nBlocks + 1) * P);
  if (!ws) return NULL;
  m->q.pwl = w;
  m->q.P = P;
  m->q.nBlocks = nBlocks;
  m->q.partial = ws;
  m->q.reduced = ws + (size_t)nBlocks * P;
  ngnn_pool_run(m->b->pool, m->b->k->pwl_backward, &m->q, threads_for(m->b, nBlocks, GRAIN_BLOCKS));
  ngnn_pool_run(m->b->pool, m->b->k->mlp_reduce, &m->q, threads_for(m->b, (double)nBlocks * P, GRAIN_REDUCE));
  ngnn_pool_run(m->b->pool, m->b->k->pwl_finish, &m->q, 1);
  add_gradients(m->q.partial, 1, H, 2, g);
  return undefined(a->env);
}

/** mlpBackward(h, S, nIn, H, nh, layers, X, acts, dy, grads, dX | null): grads (layers' layout) +=, dX =. */
napi_value js_mlp_backward(napi_env env, napi_callback_info info) {
  args_t a;
  mlp_args m;
  if (!args_get(env, info, 11, &a) || !mlp_common(&a, &m)) return NULL;
  const size_t S = (size_t)m.q.S, H = (size_t)m.q.H, nIn = (size_t)m.q.nIn;
  const int nh = m.q.nh;
  m.q.dy = arg_f32(&a, 8, "dy", S, 0, NULL);
  size_t mins[2 * NGNN_MAX_HIDDEN + 2];
  float *g[2 * NGNN_MAX_HIDDEN + 2];
  const size_t nL = 2 * (size_t)nh + 2;
  for (size_t e = 0; e < nL; e++) mins[e] = e == 0 ? H * nIn : e == nL - 1 ? 1 : e % 2 ? H : e == nL - 2 ? H : H * H;
  if (!arg_f32_list(&a, 9, "grads", nL, mins, g)) return NULL;
  m.q.dX = arg_f32(&a, 10, "dX", S * nIn, 1, NULL);
  if (a.failed) return NULL;
  if (S == 0) return undefined(env);
  if (use_pwl(&m)) return pwl_backward(&a, &m, g);
  const int P = ngnn_mlp_params((int)nIn, (int)H, nh);
  const int nBlocks = (int)((S + NGNN_BLOCK - 1) / NGNN_BLOCK);
  const size_t scr = (ngnn_mlp_scratch((int)H, nh) + 15) / 16 * 16;
  const size_t w0 = (nIn * H + 15) / 16 * 16;
  float *ws = backend_workspace(&a, m.b, w0 + (size_t)(nBlocks + 1) * P + (size_t)m.b->threads * scr);
  if (!ws) return NULL;
  m.q.W0T = ws;
  transpose_w0(&m, ws);
  m.q.P = P;
  m.q.nBlocks = nBlocks;
  m.q.partial = ws + w0;
  m.q.reduced = m.q.partial + (size_t)nBlocks * P;
  m.q.scratch = m.q.reduced + P;
  m.q.scratchFloats = scr;
  ngnn_pool_run(m.b->pool, m.b->k->mlp_backward, &m.q, threads_for(m.b, nBlocks, GRAIN_BLOCKS));
  ngnn_pool_run(m.b->pool, m.b->k->mlp_reduce, &m.q, threads_for(m.b, (double)nBlocks * P, GRAIN_REDUCE));
  add_gradients(m.q.reduced, (int)nIn, (int)H, nh, g);
  return undefined(env);
}

/** The (h, B, N, W, …) head of the message ops. */
static backend *msg_common(args_t *a, ngnn_msg *q) {
  memset(q, 0, sizeof *q);
  backend *b = backend_of(a);
  q->B = arg_int(a, 1, "B", 0, 1 << 20);
  q->N = arg_int(a, 2, "N", 0, 1 << 20);
  q->W = arg_f32(a, 3, "W", (size_t)q->N * q->N, 0, NULL);
  return a->failed ? NULL : b;
}

/**
 * The backward's per-thread dP accumulators in the workspace: B rows of whole cache lines over a
 * thread's columns (at most N) for each of the pool's threads. False when it cannot be allocated.
 */
static int msg_scratch(args_t *a, backend *b, ngnn_msg *q) {
  q->dPsFloats = (size_t)q->B * (((size_t)q->N + 15) & ~(size_t)15);
  q->dPs = backend_workspace(a, b, (size_t)b->threads * q->dPsFloats);
  return q->dPs != NULL;
}

/** messages(h, B, N, W, P, M). */
napi_value js_messages(napi_env env, napi_callback_info info) {
  args_t a;
  ngnn_msg q;
  if (!args_get(env, info, 6, &a)) return NULL;
  backend *b = msg_common(&a, &q);
  const size_t BN = (size_t)q.B * q.N;
  q.P = arg_f32(&a, 4, "P", BN, 0, NULL);
  q.M = arg_f32(&a, 5, "M", BN, 0, NULL);
  if (a.failed) return NULL;
  if (BN) ngnn_pool_run(b->pool, b->k->messages, &q, threads_for(b, (double)BN * q.N, GRAIN_MESSAGES));
  return undefined(env);
}

/** messagesBackward(h, B, N, W, G, P, dW, dP). */
napi_value js_messages_backward(napi_env env, napi_callback_info info) {
  args_t a;
  ngnn_msg q;
  if (!args_get(env, info, 8, &a)) return NULL;
  backend *b = msg_common(&a, &q);
  const size_t BN = (size_t)q.B * q.N;
  q.G = arg_f32(&a, 4, "G", BN, 0, NULL);
  q.P = arg_f32(&a, 5, "P", BN, 0, NULL);
  q.dW = arg_f32(&a, 6, "dW", (size_t)q.N * q.N, 0, NULL);
  q.dP = arg_f32(&a, 7, "dP", BN, 0, NULL);
  if (a.failed || !msg_scratch(&a, b, &q)) return NULL;
  if (q.N) ngnn_pool_run(b->pool, b->k->messages_backward, &q, threads_for(b, 2.0 * BN * q.N, GRAIN_MESSAGES));
  return undefined(env);
}

/** Adam's scalars (step, beta1, beta2, eps, sqrtBc2) from arguments k … k+4. */
static void adam_scalars(args_t *a, size_t k, float *out) {
  static const char *names[5] = {"step", "beta1", "beta2", "eps", "sqrtBc2"};
  for (int e = 0; e < 5; e++) out[e] = (float)arg_num(a, k + e, names[e]);
}

/** messagesBackwardAdamW(h, B, N, W, G, P, dP, m, v, step, beta1, beta2, eps, sqrtBc2, l1). */
napi_value js_messages_backward_adam(napi_env env, napi_callback_info info) {
  args_t a;
  ngnn_msg q;
  if (!args_get(env, info, 15, &a)) return NULL;
  backend *b = msg_common(&a, &q);
  const size_t BN = (size_t)q.B * q.N, NN = (size_t)q.N * q.N;
  q.G = arg_f32(&a, 4, "G", BN, 0, NULL);
  q.P = arg_f32(&a, 5, "P", BN, 0, NULL);
  q.dP = arg_f32(&a, 6, "dP", BN, 0, NULL);
  q.m = arg_f32(&a, 7, "m", NN, 0, NULL);
  q.v = arg_f32(&a, 8, "v", NN, 0, NULL);
  float s[5];
  adam_scalars(&a, 9, s);
  const float l1 = (float)arg_num(&a, 14, "l1");
  if (a.failed || !msg_scratch(&a, b, &q)) return NULL;
  q.adam = 1;
  q.l1 = l1;
  q.step = s[0];
  q.beta1 = s[1];
  q.beta2 = s[2];
  q.eps = s[3];
  q.sqrtBc2 = s[4];
  if (q.N) ngnn_pool_run(b->pool, b->k->messages_backward, &q, threads_for(b, 2.0 * BN * q.N, GRAIN_MESSAGES));
  return undefined(env);
}

/** adam(h, p, g, m, v, step, beta1, beta2, eps, sqrtBc2). */
napi_value js_adam(napi_env env, napi_callback_info info) {
  args_t a;
  ngnn_adam q;
  if (!args_get(env, info, 10, &a)) return NULL;
  backend *b = backend_of(&a);
  size_t n = 0;
  q.p = arg_f32(&a, 1, "p", 0, 0, &n);
  q.n = n;
  q.g = arg_f32(&a, 2, "g", n, 0, NULL);
  q.m = arg_f32(&a, 3, "m", n, 0, NULL);
  q.v = arg_f32(&a, 4, "v", n, 0, NULL);
  float s[5];
  adam_scalars(&a, 5, s);
  if (a.failed) return NULL;
  q.step = s[0];
  q.beta1 = s[1];
  q.beta2 = s[2];
  q.eps = s[3];
  q.sqrtBc2 = s[4];
  if (n) ngnn_pool_run(b->pool, b->k->adam, &q, threads_for(b, (double)n, GRAIN_ADAM));
  return undefined(env);
}

/**
 * pdeSteps(h, N, nSteps, save, par, W, x, t, m, c, s, g, outX, outY, noise | null, dt, noiseLevel,
 * b | null, w | null, h | null, u | null, omega | null): nSteps PDE_N2 Euler steps (kern_pde.h), PDE_N4
 * ones with b, w, h, u; omega [nSteps, N] scales receiver i's message at step k by Ω_i(k);
 * nSteps = 0 sets t[par] = tanh(x) (PDE_N4: the transfer, and u = tanh(x)).
 */
napi_value js_pde_steps(napi_env env, napi_callback_info info) {
  args_t a;
  ngnn_pde q;
  memset(&q, 0, sizeof q);
  if (!args_get(env, info, 22, &a)) return NULL;
  backend *b = backend_of(&a);
  q.N = arg_int(&a, 1, "N", 1, 1 << 20);
  q.nSteps = arg_int(&a, 2, "nSteps", 0, 1 << 30);
  q.save = arg_int(&a, 3, "save", 0, 1);
  q.par = arg_int(&a, 4, "par", 0, 1);
  const size_t N = (size_t)q.N, frames = (size_t)q.nSteps * N;
  q.W = arg_f32(&a, 5, "W", N * N, 0, NULL);
  q.x = arg_f32(&a, 6, "x", N, 0, NULL);
  q.t = arg_f32(&a, 7, "t", 2 * N, 0, NULL);
  q.m = arg_f32(&a, 8, "m", N, 0, NULL);
  q.c = arg_f32(&a, 9, "c", N, 0, NULL);
  q.s = arg_f32(&a, 10, "s", N, 0, NULL);
  q.g = arg_f32(&a, 11, "g", N, 0, NULL);
  q.outX = arg_f32(&a, 12, "outX", q.save ? frames : 0, 0, NULL);
  q.outY = arg_f32(&a, 13, "outY", q.save ? frames : 0, 0, NULL);
  q.dt = (float)arg_num(&a, 15, "dt");
  q.noiseLevel = (float)arg_num(&a, 16, "noiseLevel");
  q.noise = arg_f32(&a, 14, "noise", q.noiseLevel > 0 ? frames : 0, !(q.noiseLevel > 0), NULL);
  q.w = arg_f32(&a, 18, "w", N, 1, NULL);
  const int n4 = q.w != NULL; /* PDE_N4: b, h and u too */
  q.b = arg_f32(&a, 17, "b", n4 ? N : 0, !n4, NULL);
  q.h = arg_f32(&a, 19, "h", n4 ? N : 0, !n4, NULL);
  q.u = arg_f32(&a, 20, "u", n4 ? N : 0, !n4, NULL);
  q.omega = arg_f32(&a, 21, "omega", frames, 1, NULL);
  if (a.failed) return NULL;
  ngnn_barrier bar;
  atomic_init(&bar.count, 0);
  atomic_init(&bar.generation, 0);
  q.barrier = &bar;
  ngnn_pool_run(b->pool, b->k->pde_steps, &q, threads_for(b, (double)N * N, GRAIN_PDE_STEP));
  return undefined(env);
}
