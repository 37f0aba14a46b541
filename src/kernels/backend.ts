/**
 * The compute-backend interface of the GNN model: typed arrays in, caller-provided buffers out,
 * explicit shapes. Implementations: `reference` (plain TypeScript, float32 or float64), `wasm`
 * (WebAssembly SIMD, multi-threaded, float32) and `native` (a C addon, multi-threaded, float32).
 * Every op overwrites its outputs unless it says it accumulates.
 *
 * An MLP here is `layers` = [W_0, b_0, W_1, b_1, …] with W_l: [out_l, in_l] row-major (PyTorch's
 * nn.Linear layout), ReLU after every layer but the last, and a scalar output.
 */
import type { SirenKernels } from "./siren.js";

export type Arr = Float32Array | Float64Array;

export interface MlpShape {
  /** Layer widths [in, h_1, …, h_{L-1}, 1]. */
  sizes: readonly number[];
}

export interface Backend {
  readonly name: string;
  /** A zeroed array of `n` elements that this backend's ops accept. */
  alloc(n: number): Arr;
  /** The SIREN Ω*'s layer kernels of the same family (and thread pool), for Figure 3's joint training. */
  readonly siren?: SirenKernels;

  /**
   * y[s] = mlp(X[s, :]) for s < S. X: [S, in]. `acts[l]` ([S, h_l], one per hidden layer) keep what
   * mlpBackward needs of the pass: the post-ReLU activations (the native backend writes only those
   * its backward pass reads back, and recomputes the others).
   */
  mlpForward(shape: MlpShape, layers: readonly Arr[], X: Arr, S: number, acts: readonly Arr[], y: Arr): void;

  /**
   * Backward pass of mlpForward for upstream gradient dy: [S]. ACCUMULATES parameter gradients into
   * `grads` (same layout as `layers`), and writes dX: [S, in] when given.
   */
  mlpBackward(
    shape: MlpShape,
    layers: readonly Arr[],
    X: Arr,
    S: number,
    acts: readonly Arr[],
    dy: Arr,
    grads: readonly Arr[],
    dX?: Arr,
  ): void;

  /** Messages M[b, i] = Σ_{j≠i} W[i, j] P[b, j]. W: [N, N] (row = receiving), P, M: [B, N]. */
  messages(W: Arr, P: Arr, B: number, N: number, M: Arr): void;

  /** dW[i, j] = Σ_b G[b, i] P[b, j] for i ≠ j, dW[i, i] = 0; dP[b, j] = Σ_{i≠j} W[i, j] G[b, i]. */
  messagesBackward(W: Arr, G: Arr, P: Arr, B: number, N: number, dW: Arr, dP: Arr): void;

  /**
   * PDE_N5's per-edge messages M[b, i] = Σ_{j≠i} W[i, j] psi*([X[b, j], a_i, a_j]) (kernels/edge.ts).
   * X, M: [B, N]; a: [N, d]; W: [N, N]; psi* widths [1 + 2d, …, 1].
   */
  edgeMessages(shape: MlpShape, layers: readonly Arr[], X: Arr, a: Arr, W: Arr, B: number, N: number, M: Arr): void;

  /**
   * Backward pass of edgeMessages for upstream gradient G = dL/dM [B, N]: OVERWRITES dW [N, N]
   * (dW[i, j] = Σ_b G[b, i] psi*_bij, diagonal 0), ACCUMULATES da [N, d] (through both embedding
   * inputs) and psi*'s parameter gradients `grads` (layout of `layers`). Recomputes the forward pass.
   */
  edgeMessagesBackward(
    shape: MlpShape,
    layers: readonly Arr[],
    X: Arr,
    a: Arr,
    W: Arr,
    G: Arr,
    B: number,
    N: number,
    dW: Arr,
    da: Arr,
    grads: readonly Arr[],
  ): void;

  /**
   * One Adam step (PyTorch semantics, no weight decay) on n elements: m ← β1 m + (1−β1) g,
   * v ← β2 v + (1−β2) g², p ← p − lr · m̂ / (√v̂ + ε) with bias corrections 1 − β^t.
   */
  adam(p: Arr, g: Arr, m: Arr, v: Arr, lr: number, beta1: number, beta2: number, eps: number, t: number): void;

  /**
   * Optional fusion of messagesBackward with W's Adam step, so that W, m and v are read and written
   * once and dW is never stored: dP as messagesBackward; W, m, v as adam(W, dW + l1·sign(W), m, v, …)
   * with messagesBackward's dW (l1: the W L1 penalty's coefficient, default 0); then W[i, i] = 0.
   * dP uses W before the step.
   */
  messagesBackwardAdamW?(
    W: Arr,
    G: Arr,
    P: Arr,
    B: number,
    N: number,
    dP: Arr,
    m: Arr,
    v: Arr,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    t: number,
    l1?: number,
  ): void;
}
