// The arguments of every kernel, by name, in slot order: the one declaration both sides use.
// Valid AssemblyScript and TypeScript. Enum `<Kernel>Arg` lists the arguments of kernel `<kernel>`,
// then COUNT (their number). Kernels read slot `MlpForwardArg.S` etc. (const enums: compile-time
// constants); the host passes objects `{ S, nIn, … }` whose type is derived from these enums
// (../kernel-args.ts). The module exports every member as a global ("MlpForwardArg.S" = 0, …):
// the engine lays out the slots from those, and at startup compares each COUNT with the one
// compiled into the TypeScript side, so a stale build/kernels.wasm is an error, not corrupted memory.
// Pointers are byte offsets into the shared memory; arrays are float32 unless noted. Give members
// no explicit values.

/** MLP forward for widths [nIn, H, …, H, 1] (nh hidden layers; mlp.ts). */
export const enum MlpForwardArg {
  /** Number of samples. */
  S,
  nIn,
  H,
  /** [nIn, H]: the first layer's weights, transposed. */
  W0T,
  /** [H] */
  b0,
  /** Number of hidden layers (≥ 1). */
  nh,
  /** u32 [nh]: entry a ≥ 1 → [H, H], W_a transposed (row k = the weights of input k). */
  WT,
  /** u32 [nh]: entry a ≥ 1 → [H], b_a. */
  b,
  /** [H]: output weights. */
  wOut,
  /** [1] */
  bOut,
  /** [S, nIn] */
  X,
  /** u32 [nh]: entry a → [S, H], the post-ReLU activations of hidden layer a (written). */
  A,
  /** [S]: outputs (written). */
  y,
  COUNT,
}

/** MLP backward: per-block partial gradients, then their sum in block order. */
export const enum MlpBackwardArg {
  S,
  nIn,
  H,
  /** [nIn, H] */
  W0T,
  nh,
  /** u32 [nh]: entry a ≥ 1 → [H, H], W_a in the original [out, in] layout. */
  W,
  /** [H] */
  wOut,
  /** [S, nIn] */
  X,
  /** u32 [nh]: entry a → [S, H], activations from mlpForward. */
  A,
  /** [S]: gradient of the loss with respect to y. */
  dy,
  /**
   * [nBlocks, P] per-block gradients, P = nIn·H + H + (nh − 1)(H·H + H) + H + 4, laid out as
   * [dW0T, db0, (dW_a, db_a) for a = 1 … nh − 1, dwOut, dbOut (+pad)].
   */
  partial,
  /** [P] the sum over blocks, followed by per-thread scratch of 3H + 16 floats each. */
  reduced,
  /** [S, nIn]: gradient with respect to X (written when non-zero). */
  dX,
  /** Barrier: two i32. */
  bar,
  /** ceil(S / 64) */
  nBlocks,
  COUNT,
}

/** The tables of an MLP [1, H, H, 1] as a piecewise-linear function (../../pwl-tables.ts; pwl.ts). */
export const enum PwlForwardArg {
  S,
  H,
  /** Number of intervals. */
  nI,
  /** [H] breakpoints ascending, +inf padded. */
  t,
  /** [nI] centres. */
  c,
  /** [nI, H] */
  A,
  /** [nI, H] */
  Z,
  /** [H] */
  wOut,
  /** [1] */
  bOut,
  /** [S] */
  X,
  /** [S] (written) */
  y,
  COUNT,
}

/** Backward through the piecewise-linear form: per-block sums, their sum in block order, the gradients. */
export const enum PwlBackwardArg {
  S,
  H,
  nI,
  t,
  c,
  A,
  Z,
  /** [nI, H] each. */
  alpha,
  gamma,
  mask,
  /** [H, H] the second layer's weights, rows o. */
  W1,
  wOut,
  X,
  dy,
  /** [S] (written when non-zero) */
  dX,
  /** [nBlocks, P], P = 2·nI·H + H + 4: U, V [nI, H], dwOut [H], dbOut, pad. */
  partial,
  /** [P] */
  reduced,
  /** [4H + H·H + 4] (written): dW0, db0, dW1, db1, dwOut, dbOut, pad. */
  out,
  bar,
  /** ceil(S / 1024) */
  nBlocks,
  COUNT,
}

/** M[b, i] = Σ_{j≠i} W[i, j] P[b, j]. */
export const enum MessagesArg {
  /** Number of frames. */
  B,
  /** Number of neurons (a multiple of 4). */
  N,
  /** [N, N] */
  W,
  /** [B, N] */
  P,
  /** [B, N] (written) */
  M,
  COUNT,
}

/** dW[i, j] = Σ_b G[b, i] P[b, j] (i ≠ j), dW[i, i] = 0; dP[b, j] = Σ_{i≠j} W[i, j] G[b, i]. */
export const enum MessagesBackwardArg {
  B,
  N,
  /** [N, N] */
  W,
  /** [B, N]: gradient with respect to M. */
  G,
  /** [B, N] */
  P,
  /** [N, N] (written) */
  dW,
  /** [B, N] (written) */
  dP,
  /** Scratch, threads · B · (N rounded up to 16) + 16 floats: each thread's own slice of dP (written). */
  dPs,
  /** Barrier: two i32. */
  bar,
  COUNT,
}

/** One Adam step on n elements. */
export const enum AdamArg {
  n,
  /** [n] parameters (updated). */
  p,
  /** [n] gradients. */
  g,
  /** [n] first moments (updated). */
  m,
  /** [n] second moments (updated). */
  v,
  /** lr / (1 - beta1^t) */
  step,
  beta1,
  beta2,
  eps,
  /** sqrt(1 - beta2^t) */
  sqrtBc2,
  COUNT,
}

/**
 * nSteps explicit-Euler steps of PDE_N2, or of PDE_N4 when w is non-zero:
 *   PDE_N2  dx_i/dt = −c_i x_i + s_i tanh(x_i) + g_i Σ_j W_ij tanh(x_j)
 *   PDE_N4  dx_i/dt = −c_i x_i + b_i + s_i tanh(x_i) + g_i Σ_j W_ij tanh((x_j − h_j)/w_j)
 * and, with omega, the message of receiver i scaled by Ω_i(k) at step k.
 */
export const enum PdeN2StepsArg {
  N,
  /** N rounded up to 4: the row stride of W. */
  Np,
  /** [N, Np] connectivity, row i = receiving neuron, zero padded. */
  W,
  /** [Np] state (updated in place). */
  x,
  /** [2, Np] tanh(x), double-buffered. */
  tb,
  /** [Np] scratch. */
  m,
  /** [Np] per-neuron parameters c, s and g. */
  c,
  s,
  g,
  dt,
  nSteps,
  /** 1: before step k, outX[k, i] = x_i and outY[k, i] = dx_i/dt. */
  save,
  /** [nSteps, N] */
  outX,
  /** [nSteps, N] */
  outY,
  /** [nSteps, N] N(0,1) draws added as noiseLevel · noise after each step (when noiseLevel > 0). */
  noise,
  noiseLevel,
  /** Barrier: two i32. */
  bar,
  /** Which half of tb holds tanh(x) on entry (it alternates each step; the caller tracks it). */
  par0,
  /** PDE_N4 (0 for PDE_N2): [Np] constant drive b. */
  b,
  /** PDE_N4 (0 for PDE_N2): [Np] the sender's width w and threshold h; tb then holds tanh((x − h)/w). */
  w,
  h,
  /** PDE_N4 (0 for PDE_N2): [Np] tanh(x) of the self term (tb holds the transfer). */
  u,
  /**
   * External input (0: none): [nSteps, N] per-receiver multiplier of the message of step k,
   * g_i·Σ_j W_ij ψ_j → g_i·(Ω_i(k)·Σ_j W_ij ψ_j) (Figure 3's multiplicative input).
   */
  omega,
  COUNT,
}

/** tb[par] = tanh(x) (PDE_N4: tanh((x − h)/w), and u = tanh(x)), run once before the first pdeN2Steps. */
export const enum TanhInitArg {
  N,
  /** [N] state. */
  x,
  /** [N]: the half of tb to fill. */
  t,
  /** PDE_N4 (0 for PDE_N2): [N] width, threshold and the self term's tanh(x) (written). */
  w,
  h,
  u,
  COUNT,
}

/** One SIREN layer forward: A = sin(ω₀Z), C = ω₀cos(ω₀Z) (sine 1) or A = Z (sine 0), Z = X·Wᵀ + b. */
export const enum SirenForwardArg {
  P,
  nIn,
  nOut,
  /** [nIn, nOut]: W transposed. */
  WT,
  /** [nOut] */
  b,
  /** [P, nIn] */
  X,
  omega0,
  /** 1: sine layer, 0: linear. */
  sine,
  /** [P, nOut] (written) */
  A,
  /** [P, nOut] ω₀cos(ω₀Z) (written), or 0. */
  C,
  COUNT,
}

/** SIREN layer backward, by points: G = dA ⊙ C in place (C ≠ 0), dX = G·W (dX ≠ 0). */
export const enum SirenBackwardPointsArg {
  P,
  nIn,
  nOut,
  /** [nOut, nIn] */
  W,
  /** [P, nOut], overwritten by G. */
  dA,
  /** [P, nOut] or 0. */
  C,
  /** [P, nIn] (written) or 0. */
  dX,
  COUNT,
}

/** SIREN layer backward, by output rows: dW += Gᵀ·X, db += Σ_p G (G in dA after sirenBackwardPoints). */
export const enum SirenBackwardRowsArg {
  P,
  nIn,
  nOut,
  /** [P, nIn] */
  X,
  /** [P, nOut]: G. */
  dA,
  /** [nOut, nIn] (accumulated) */
  dW,
  /** [nOut] (accumulated) */
  db,
  COUNT,
}
