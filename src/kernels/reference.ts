/**
 * The reference backend: plain loops, obviously correct, generic over Float32Array (the wasm
 * backend's precision) and Float64Array (for finite-difference gradient checks). Reductions
 * accumulate in float64.
 */
import type { Arr, Backend, MlpShape } from "./backend.js";
import { blockedEdgeOps } from "./edge.js";
import { referenceSirenKernels } from "./siren.js";

export function referenceBackend(precision: "f32" | "f64" = "f64"): Backend {
  const make = (n: number): Arr => (precision === "f64" ? new Float64Array(n) : new Float32Array(n));
  const backend: Backend = {
    name: `reference-${precision}`,
    alloc: make,
    siren: referenceSirenKernels(precision),

    mlpForward(shape: MlpShape, layers: readonly Arr[], X: Arr, S: number, acts: readonly Arr[], y: Arr): void {
      const sz = shape.sizes;
      const L = sz.length - 1;
      for (let s = 0; s < S; s++) {
        let input: ArrayLike<number> = X.subarray(s * sz[0], (s + 1) * sz[0]);
        for (let l = 0; l < L; l++) {
          const W = layers[2 * l];
          const b = layers[2 * l + 1];
          const nIn = sz[l];
          const nOut = sz[l + 1];
          const out = l < L - 1 ? acts[l].subarray(s * nOut, (s + 1) * nOut) : undefined;
          for (let o = 0; o < nOut; o++) {
            let z = b[o];
            for (let k = 0; k < nIn; k++) z += W[o * nIn + k] * input[k];
            if (out) out[o] = z > 0 ? z : 0;
            else y[s] = z;
          }
          if (out) input = out;
        }
      }
    },

    mlpBackward(shape, layers, X, S, acts, dy, grads, dX): void {
      const sz = shape.sizes;
      const L = sz.length - 1;
      const hmax = Math.max(...sz);
      let delta = new Float64Array(hmax);
      let prev = new Float64Array(hmax);
      for (let s = 0; s < S; s++) {
        // delta = dL/dz of the current layer, starting at the output.
        delta[0] = dy[s];
        for (let l = L - 1; l >= 0; l--) {
          const W = layers[2 * l];
          const gW = grads[2 * l];
          const gb = grads[2 * l + 1];
          const nIn = sz[l];
          const nOut = sz[l + 1];
          const input = l === 0 ? X.subarray(s * nIn, (s + 1) * nIn) : acts[l - 1].subarray(s * nIn, (s + 1) * nIn);
          for (let o = 0; o < nOut; o++) {
            const d = delta[o];
            gb[o] += d;
            for (let k = 0; k < nIn; k++) gW[o * nIn + k] += d * input[k];
          }
          if (l > 0 || dX) {
            for (let k = 0; k < nIn; k++) {
              let acc = 0;
              for (let o = 0; o < nOut; o++) acc += W[o * nIn + k] * delta[o];
              // ReLU derivative of the layer below (its output is our input).
              prev[k] = l > 0 ? (input[k] > 0 ? acc : 0) : acc;
            }
            if (l === 0 && dX) for (let k = 0; k < nIn; k++) dX[s * nIn + k] = prev[k];
            [delta, prev] = [prev, delta];
          }
        }
      }
    },

    messages(W, P, B, N, M): void {
      for (let b = 0; b < B; b++) {
        for (let i = 0; i < N; i++) {
          let acc = 0;
          for (let j = 0; j < N; j++) if (j !== i) acc += W[i * N + j] * P[b * N + j];
          M[b * N + i] = acc;
        }
      }
    },

    messagesBackward(W, G, P, B, N, dW, dP): void {
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < N; j++) {
          let acc = 0;
          if (i !== j) for (let b = 0; b < B; b++) acc += G[b * N + i] * P[b * N + j];
          dW[i * N + j] = acc;
        }
      }
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < N; j++) {
          let acc = 0;
          for (let i = 0; i < N; i++) if (i !== j) acc += W[i * N + j] * G[b * N + i];
          dP[b * N + j] = acc;
        }
      }
    },

    adam(p, g, m, v, lr, beta1, beta2, eps, t): void {
      const bc1 = 1 - beta1 ** t;
      const bc2 = 1 - beta2 ** t;
      const stepSize = lr / bc1;
      const sqrtBc2 = Math.sqrt(bc2);
      for (let k = 0; k < p.length; k++) {
        const gk = g[k];
        m[k] = beta1 * m[k] + (1 - beta1) * gk;
        v[k] = beta2 * v[k] + (1 - beta2) * gk * gk;
        p[k] -= (stepSize * m[k]) / (Math.sqrt(v[k]) / sqrtBc2 + eps);
      }
    },

    // One receiver row at a time (edge.ts) through the plain MLP loops above.
    edgeMessages: (...args) => edge.edgeMessages(...args),
    edgeMessagesBackward: (...args) => edge.edgeMessagesBackward(...args),
  };
  const edge = blockedEdgeOps(backend, 1);
  return backend;
}
