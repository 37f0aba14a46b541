/**
 * PDE_N5's per-edge messages (psi* sees the receiver's and the sender's embeddings, so it is
 * evaluated once per connection), built on a backend's own MLP kernels:
 *   M[b, i] = Σ_{j≠i} W[i, j] y_bij,   y_bij = psi*([x_bj, a_i, a_j])
 * with X: [B, N], a: [N, d], W: [N, N] (row = receiving), psi* widths [1 + 2d, …, 1].
 * Receivers go in blocks of R rows: the block's R·B·N edge inputs [x_bj, a_i, a_j] (j = i
 * included, with weight 0) are written to a scratch array and passed through mlpForward; memory is
 * O(R·B·N·H), never [N², H]. The backward pass RECOMPUTES each block's forward pass (activations
 * are not kept between the passes) and then:
 *   dy_bij = G[b, i] W[i, j] (0 for j = i),   dW[i, j] = Σ_b G[b, i] y_bij (dW[i, i] = 0),
 *   mlpBackward(dy) → psi*'s gradients and the input gradient dX_bij = [∂x, ∂a_i, ∂a_j],
 *   da_i += Σ_{b,j} ∂a_i,   da_j += Σ_{b,i} ∂a_j   (in block order, so thread counts never matter).
 * R = 1 on the reference backend (its plain loops are the check for the others); the SIMD backends
 * take blocks of up to EDGE_SAMPLES samples.
 */
import type { Arr, Backend, MlpShape } from "./backend.js";

/** Edge samples per block of the SIMD backends (64 Ki: 32 MB of [S, 64] activations, both layers). */
export const EDGE_SAMPLES = 1 << 16;

/** The embedding size d of a psi* with inputs [x, a_i, a_j] (sizes[0] = 1 + 2d). */
export function pairEmbeddingDim(shape: MlpShape): number {
  const d = (shape.sizes[0] - 1) / 2;
  if (!Number.isInteger(d) || d < 1) throw new Error(`psi* inputs [x_j, a_i, a_j] need 1 + 2d inputs, got ${shape.sizes[0]}`);
  return d;
}

/** Xe[((r − i0)·B + b)·N + j, :] = [X[b, j], a_i, a_j] for receivers i = i0 … i1 − 1. */
export function fillEdgeInput(
  Xe: Arr,
  X: ArrayLike<number>,
  a: ArrayLike<number>,
  d: number,
  B: number,
  N: number,
  i0: number,
  i1: number,
): void {
  const w = 1 + 2 * d;
  let o = 0;
  for (let i = i0; i < i1; i++) {
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < N; j++) {
        Xe[o] = X[b * N + j];
        for (let e = 0; e < d; e++) {
          Xe[o + 1 + e] = a[i * d + e];
          Xe[o + 1 + d + e] = a[j * d + e];
        }
        o += w;
      }
    }
  }
}

/** The two ops of Backend (edgeMessages, edgeMessagesBackward; their contract is there). */
export type EdgeOps = Pick<Backend, "edgeMessages" | "edgeMessagesBackward">;

/**
 * The edge ops on `backend`'s mlpForward / mlpBackward, with blocks of `maxSamples` edge samples at
 * most (at least one receiver row). Scratch arrays come from backend.alloc and are kept.
 */
export function blockedEdgeOps(backend: Pick<Backend, "alloc" | "mlpForward" | "mlpBackward">, maxSamples: number): EdgeOps {
  let cache: { key: string; Xe: Arr; dXe: Arr; y: Arr; dy: Arr; acts: Arr[] } | undefined;
  const scratch = (shape: MlpShape, S: number) => {
    const key = `${shape.sizes.join(",")}:${S}`;
    if (cache?.key !== key) {
      const nIn = shape.sizes[0];
      const acts = shape.sizes.slice(1, -1).map((h) => backend.alloc(S * h));
      cache = { key, Xe: backend.alloc(S * nIn), dXe: backend.alloc(S * nIn), y: backend.alloc(S), dy: backend.alloc(S), acts };
    }
    return cache;
  };
  const rowsPerBlock = (B: number, N: number) => Math.max(1, Math.min(N, Math.floor(maxSamples / Math.max(1, B * N))));

  return {
    edgeMessages(shape, layers, X, a, W, B, N, M) {
      const d = pairEmbeddingDim(shape);
      const R = rowsPerBlock(B, N);
      const s = scratch(shape, R * B * N);
      for (let i0 = 0; i0 < N; i0 += R) {
        const i1 = Math.min(N, i0 + R);
        fillEdgeInput(s.Xe, X, a, d, B, N, i0, i1);
        backend.mlpForward(shape, layers, s.Xe, (i1 - i0) * B * N, s.acts, s.y);
        for (let i = i0; i < i1; i++) {
          for (let b = 0; b < B; b++) {
            const o = ((i - i0) * B + b) * N;
            let acc = 0;
            for (let j = 0; j < N; j++) if (j !== i) acc += W[i * N + j] * s.y[o + j];
            M[b * N + i] = acc;
          }
        }
      }
    },

    edgeMessagesBackward(shape, layers, X, a, W, G, B, N, dW, da, grads) {
      const d = pairEmbeddingDim(shape);
      const w = 1 + 2 * d;
      const R = rowsPerBlock(B, N);
      const s = scratch(shape, R * B * N);
      for (let i0 = 0; i0 < N; i0 += R) {
        const i1 = Math.min(N, i0 + R);
        const S = (i1 - i0) * B * N;
        fillEdgeInput(s.Xe, X, a, d, B, N, i0, i1);
        backend.mlpForward(shape, layers, s.Xe, S, s.acts, s.y);
        for (let i = i0; i < i1; i++) {
          for (let j = 0; j < N; j++) dW[i * N + j] = 0;
          for (let b = 0; b < B; b++) {
            const o = ((i - i0) * B + b) * N;
            const g = G[b * N + i];
            for (let j = 0; j < N; j++) {
              if (j === i) {
                s.dy[o + j] = 0;
                continue;
              }
              s.dy[o + j] = g * W[i * N + j];
              dW[i * N + j] += g * s.y[o + j];
            }
          }
        }
        backend.mlpBackward(shape, layers, s.Xe, S, s.acts, s.dy, grads, s.dXe);
        for (let i = i0; i < i1; i++) {
          for (let b = 0; b < B; b++) {
            const o = ((i - i0) * B + b) * N;
            for (let j = 0; j < N; j++) {
              const q = (o + j) * w;
              for (let e = 0; e < d; e++) {
                da[i * d + e] += s.dXe[q + 1 + e];
                da[j * d + e] += s.dXe[q + 1 + d + e];
              }
            }
          }
        }
      }
    },
  };
}
