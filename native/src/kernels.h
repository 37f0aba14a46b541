/*
 * The kernels of the native backend, compiled once per instruction set (isa_*.c) from the same
 * sources (kern_*.h), and the argument blocks they take. Every kernel is a task of the thread
 * pool: `fn(ctx, tid, nth)` does the share of thread `tid` of `nth`. How work is shared never
 * changes an element's arithmetic, so results do not depend on the thread count:
 *   - per-sample and per-row outputs are computed whole by one thread;
 *   - sums over samples go through fixed blocks of NGNN_BLOCK samples (partial sums per block,
 *     then added in block order);
 *   - the W kernels split W by columns, and each column accumulates over the rows in order.
 * All arrays are float32, row-major.
 */
#ifndef NGNN_KERNELS_H
#define NGNN_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/** Samples per gradient block of the MLP backward pass (fixed whatever the thread count). */
#define NGNN_BLOCK 256
/** Samples per sub-block: one 64-bit word of sample bits. */
#define NGNN_SUB 64
/** Widest hidden layer the MLP kernels take (H a multiple of 16). */
#define NGNN_MAX_H 1024

/** Samples per block of the piecewise-linear backward pass (kern_pwl.h). */
#define NGNN_PWL_BLOCK 1024

/**
 * An MLP [1, H, H, 1] as a piecewise-linear function of its input (kern_pwl.h, tables by pwl.c):
 * on interval j (nI − 1 sorted breakpoints), h1 = alpha_j (x − c_j) + gamma_j and
 * z2 = A_j (x − c_j) + Z_j. Tables [nI, H]; mask_j = 1 for the units active on j.
 */
typedef struct {
  int nI;
  float *t; /* [H] breakpoints ascending, then +inf */
  float *c; /* [nI] centres */
  float *A, *Z, *alpha, *gamma, *mask;
  /* Backward partial sums per block: U [nI, H] at offU, V [nI, H] at offV, dW2 [H], db2. */
  int offU, offV, offW2, offB2;
  float *scratch; /* [3H] for the single-threaded finish */
} ngnn_pwl;

/** Most hidden layers an MLP may have (kernels.h's fixed-size arrays). */
#define NGNN_MAX_HIDDEN 16

/**
 * MLP [nIn, H, …, H, 1] with nh ≥ 1 hidden layers of width H, ReLU after each:
 * h_0 = relu(W_0 x + b_0), h_a = relu(W_a h_{a−1} + b_a) for 1 ≤ a < nh, y = wOut · h_{nh−1} + bOut.
 */
typedef struct {
  int S, nIn, H, nh;
  const float *W0T; /* [nIn, H]: first layer, transposed */
  const float *b0;  /* [H] */
  /* Hidden-to-hidden layers a = 1 … nh−1 (index 0 unused): */
  const float *W[NGNN_MAX_HIDDEN];  /* [H, H]: (out o, in k), rows o (backward) */
  const float *WT[NGNN_MAX_HIDDEN]; /* [H, H]: (in k, out o), rows k (forward) */
  const float *b[NGNN_MAX_HIDDEN];  /* [H] */
  const float *wOut; /* [H]: the output layer */
  float bOut;
  const float *X; /* [S, nIn] */
  /* [S, H] post-ReLU activations h_a: forward writes A[1 … nh−1], backward reads them; h_0 is
     recomputed from X (cheaper than storing it and reading it back), A[0] is not used. */
  float *A[NGNN_MAX_HIDDEN];
  float *y;       /* forward: [S] */
  const float *dy; /* backward: [S] */
  float *dX;       /* backward: [S, nIn] or NULL */
  /* Backward: partial gradients of block k at partial + k·P, laid out as [dW0T (nIn·H), db0 (H),
     then dW_a (H·H), db_a (H) for a = 1 … nh−1, dwOut (H), dbOut (1), padding]. */
  float *partial;
  int P, nBlocks;
  float *reduced; /* [P]: Σ_k partial[k], k in order */
  float *scratch; /* per thread: scratchFloats floats */
  size_t scratchFloats;
  const ngnn_pwl *pwl; /* the piecewise-linear tables when nIn = 1, nh = 2 and they are used */
} ngnn_mlp;

/** Floats of per-thread scratch the MLP backward pass needs: dz_a and h_0 [NGNN_SUB, H] each, bit rows. */
static inline size_t ngnn_mlp_scratch(int H, int nh) {
  return (size_t)(nh + 1) * NGNN_SUB * (size_t)H + (size_t)nh * NGNN_SUB * ((size_t)H / 64 + 1) * 2 + (size_t)H * 2 + 64;
}

/** Partial-gradient length P (padded to 16 floats) for an MLP [nIn, H × nh, 1]. */
static inline int ngnn_mlp_params(int nIn, int H, int nh) {
  return (nIn * H + H + (nh - 1) * (H * H + H) + H + 1 + 15) / 16 * 16;
}

/**
 * The message product and its backward:
 *   M[b, i] = Σ_{j≠i} W[i, j] P[b, j];
 *   dP[b, j] = Σ_{i≠j} W[i, j] G[b, i];  dW[i, j] = Σ_b G[b, i] P[b, j] (i ≠ j), 0 on the diagonal.
 * With `adam` set, dW is not stored: W, m, v take the Adam step with it instead (PyTorch formula,
 * p ← p − step·m / (√v / sqrtBc2 + eps)), with dW += l1·sign(W) first (the W L1 penalty's
 * subgradient, 0 at 0), and W's diagonal is set to 0.
 */
typedef struct {
  int B, N;
  float *W;
  const float *P, *G;
  float *M, *dP, *dW;
  int adam;
  float *m, *v;
  float step, beta1, beta2, eps, sqrtBc2, l1;
  float *dPs; /* backward: per-thread dP accumulators, dPsFloats each (64-byte aligned) */
  size_t dPsFloats;
} ngnn_msg;

/** One Adam step on n elements (same formula). */
typedef struct {
  size_t n;
  float *p, *m, *v;
  const float *g;
  float step, beta1, beta2, eps, sqrtBc2;
} ngnn_adam;

/**
 * PDE_N2 explicit Euler, `nSteps` steps: dx_i/dt = −c_i x_i + s_i tanh(x_i) + g_i Σ_j W_ij tanh(x_j),
 * x ← x + dt·dx/dt (+ noiseLevel·noise[k, i]). `t` holds tanh(x) double-buffered ([2, N], current
 * half `par`); with `save`, x and dx/dt before each step go to outX, outY [nSteps, N].
 * PDE_N4 when w is non-NULL: dx_i/dt = −c_i x_i + b_i + s_i tanh(x_i) + g_i Σ_j W_ij tanh((x_j − h_j)/w_j),
 * `t` then holds the transfer tanh((x − h)/w) and `u` [N] the self term's tanh(x).
 */
typedef struct {
  int N, nSteps, save, par;
  const float *W, *c, *s, *g;
  const float *b, *w, *h; /* PDE_N4, else NULL */
  float *x, *t, *m, *outX, *outY;
  float *u; /* PDE_N4, else NULL */
  const float *noise;
  const float *omega; /* [nSteps, N] external input: receiver i's message times Ω_i(k) at step k, else NULL */
  float dt, noiseLevel;
  void *barrier; /* ngnn_barrier* */
} ngnn_pde;

/**
 * One SIREN layer (kern_siren.h): forward A = sin(ω₀(X·Wᵀ + b)) with C = ω₀cos(ω₀(X·Wᵀ + b)), or
 * A = X·Wᵀ + b when `sine` is 0; backward G = dA ⊙ C (in place in dA; C NULL: G = dA),
 * dX = G·W (when dX is given), dW += Gᵀ·X, db += Σ_p G.
 */
typedef struct {
  int P, nIn, nOut, sine;
  float omega0;
  const float *W;  /* [nOut, nIn] (backward) */
  const float *WT; /* [nIn, nOut] (forward) */
  const float *b;  /* [nOut] */
  const float *X;  /* [P, nIn] */
  float *A, *C;    /* forward: [P, nOut] each (C NULL: not written) */
  float *dA;       /* backward: [P, nOut], overwritten by G */
  float *dX;       /* backward: [P, nIn] or NULL */
  float *dW, *db;  /* backward: accumulated */
} ngnn_siren;

typedef void (*ngnn_task)(void *ctx, int tid, int nth);

typedef struct {
  const char *name; /* "avx512", "avx2", "generic", "generic16", "avx512e" */
  int lanes;
  ngnn_task mlp_forward;       /* ngnn_mlp: y, A[1 … nh−1] */
  ngnn_task mlp_backward;      /* ngnn_mlp: partial, dX */
  ngnn_task mlp_reduce;        /* ngnn_mlp: reduced */
  ngnn_task pwl_forward;       /* ngnn_mlp with pwl: y */
  ngnn_task pwl_backward;      /* ngnn_mlp with pwl: partial (U, V, dW2, db2), dX */
  ngnn_task pwl_finish;        /* ngnn_mlp with pwl: reduced → partial, standard layout */
  ngnn_task messages;          /* ngnn_msg: M */
  ngnn_task messages_backward; /* ngnn_msg: dP and dW, or dP and W's Adam step */
  ngnn_task adam;              /* ngnn_adam */
  ngnn_task pde_steps;         /* ngnn_pde */
  ngnn_task siren_forward;          /* ngnn_siren: A, C */
  ngnn_task siren_backward_points;  /* ngnn_siren: G in dA, dX */
  ngnn_task siren_backward_rows;    /* ngnn_siren: dW, db */
} ngnn_table;

extern const ngnn_table ngnn_table_generic;
extern const ngnn_table ngnn_table_generic16;
#if defined(__x86_64__) || defined(_M_X64)
extern const ngnn_table ngnn_table_avx2;
extern const ngnn_table ngnn_table_avx512;
#endif
#if defined(NGNN_HAVE_AVX512E)
extern const ngnn_table ngnn_table_avx512e; /* isa_avx512e.c: a test path */
#endif

/** [start, end) of the tid-th of nth near-equal slices of 0..n, boundaries multiples of align. */
static inline size_t ngnn_slice(size_t n, int tid, int nth, size_t align) {
  size_t per = (n + (size_t)nth - 1) / (size_t)nth;
  per = (per + align - 1) / align * align;
  size_t s = per * (size_t)tid;
  return s < n ? s : n;
}

#endif
