/**
 * The kernels of one SIREN layer (Ω* of Figure 3; model/siren-train.ts chains them):
 *   forward   Z = X·Wᵀ + b,  A = sin(ω₀Z) (sine layer) or Z (outermost linear), C = ω₀cos(ω₀Z)
 *   backward  G = dA ⊙ C,  dW += Gᵀ·X,  db += Σ_p G[p, :],  dX = G·W
 * `referenceSirenKernels` here (plain loops, float32 or float64) is the reference of the native
 * (native/backend.ts `siren`) and WebAssembly (wasm/siren.ts) ones.
 */
import type { Arr } from "./backend.js";

/** One SIREN layer's passes; X [P, nIn], W [nOut, nIn], b [nOut], A, C, dA [P, nOut]. */
export interface SirenKernels {
  readonly name: string;
  /** A zeroed buffer of n elements these kernels take. */
  alloc(n: number): Arr;
  /** A = sin(ω₀Z) and, when C is given, C = ω₀cos(ω₀Z), with Z = X·Wᵀ + b (sine), or A = Z (not sine). */
  layerForward(
    W: Arr,
    b: Arr,
    X: Arr,
    P: number,
    nIn: number,
    nOut: number,
    omega0: number,
    sine: boolean,
    A: Arr,
    C: Arr | null,
  ): void;
  /**
   * G = dA ⊙ C (C null: G = dA), written into dA; dX = G·W when dX is given; ACCUMULATES
   * dW += Gᵀ·X and db += Σ_p G[p, :].
   */
  layerBackward(
    W: Arr,
    X: Arr,
    dA: Arr,
    C: Arr | null,
    P: number,
    nIn: number,
    nOut: number,
    dW: Arr,
    db: Arr,
    dX: Arr | null,
  ): void;
  /** Optional: one PyTorch Adam step on n elements, as Backend.adam (else the learner's own loop). */
  adam?(p: Arr, g: Arr, m: Arr, v: Arr, lr: number, beta1: number, beta2: number, eps: number, t: number): void;
}

/** Plain-loop SIREN kernels on float64 (default) or float32 buffers; the reference for the others. */
export function referenceSirenKernels(precision: "f64" | "f32" = "f64"): SirenKernels {
  return {
    name: `reference-${precision}`,
    alloc: (n) => (precision === "f64" ? new Float64Array(n) : new Float32Array(n)),
    layerForward(W, b, X, P, nIn, nOut, omega0, sine, A, C) {
      for (let p = 0; p < P; p++) {
        for (let o = 0; o < nOut; o++) {
          let z = b[o];
          for (let i = 0; i < nIn; i++) z += W[o * nIn + i] * X[p * nIn + i];
          const k = p * nOut + o;
          if (!sine) A[k] = z;
          else {
            A[k] = Math.sin(omega0 * z);
            if (C) C[k] = omega0 * Math.cos(omega0 * z);
          }
        }
      }
    },
    layerBackward(W, X, dA, C, P, nIn, nOut, dW, db, dX) {
      if (C) for (let k = 0; k < P * nOut; k++) dA[k] *= C[k];
      for (let p = 0; p < P; p++) {
        for (let o = 0; o < nOut; o++) {
          const g = dA[p * nOut + o];
          db[o] += g;
          for (let i = 0; i < nIn; i++) dW[o * nIn + i] += g * X[p * nIn + i];
        }
        if (dX) {
          for (let i = 0; i < nIn; i++) {
            let s = 0;
            for (let o = 0; o < nOut; o++) s += dA[p * nOut + o] * W[o * nIn + i];
            dX[p * nIn + i] = s;
          }
        }
      }
    },
  };
}
