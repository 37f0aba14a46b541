/**
 * Training passes of the SIREN Ω* (model/siren.ts), layer by layer on a set of SIREN kernels:
 *
 *   forward   Z_l = A_{l−1}·W_lᵀ + b_l,  A_l = sin(ω₀Z_l) (sine layers) or Z_l (outermost linear),
 *             A_{−1} = X [P, in] the coordinates, f = A_L [P, out];
 *   backward  G_l = dA_l ⊙ ω₀cos(ω₀Z_l) (sine) or dA_l,  dW_l += G_lᵀ·A_{l−1},  db_l += Σ_p G_l[p, :],
 *             dA_{l−1} = G_l·W_l,  starting from dA_L = dL/df.
 *
 * Kernels: `referenceSirenKernels` in kernels/siren.ts (plain TypeScript, float32 or float64 buffers) and the native
 * backend's `siren` (C, SIMD, threads; src/kernels/native/backend.ts), checked against each other.
 */
import type { Arr } from "../kernels/backend.js";
import type { SirenKernels } from "../kernels/siren.js";
import type { Siren, SirenLayer } from "./siren.js";

/** What the backward pass needs of a forward pass over up to `capacity` points, and its scratch. */
export interface SirenTape {
  capacity: number;
  /** Points of the last forward pass. */
  P: number;
  /** X [capacity, in], the coordinates. */
  X: Arr;
  /** A_l [capacity, out_l]; the last one is f. */
  acts: Arr[];
  /** ω₀cos(ω₀Z_l) [capacity, out_l] of the sine layers, null for a linear one. */
  cos: (Arr | null)[];
  /** dA_l [capacity, out_l], scratch of the backward pass. */
  grads: Arr[];
}

export function sirenTape(kernels: SirenKernels, siren: Siren, capacity: number): SirenTape {
  const L = siren.layers;
  return {
    capacity,
    P: 0,
    X: kernels.alloc(capacity * siren.shape.inFeatures),
    acts: L.map((l) => kernels.alloc(capacity * l.out)),
    cos: L.map((l) => (l.sine ? kernels.alloc(capacity * l.out) : null)),
    grads: L.map((l) => kernels.alloc(capacity * l.out)),
  };
}

/** Parameters of one layer as the kernels take them (the Siren's own arrays, or copies). */
export interface SirenParams {
  W: Arr;
  b: Arr;
}

/** f [P, out] at the coordinates already in tape.X (the tape's last activation, overwritten by the next pass). */
export function sirenTrainForward(
  kernels: SirenKernels,
  siren: Siren,
  params: readonly SirenParams[],
  tape: SirenTape,
  P: number,
): Arr {
  if (P > tape.capacity) throw new Error(`SIREN forward: ${P} points, the tape holds ${tape.capacity}`);
  tape.P = P;
  let X = tape.X;
  siren.layers.forEach((l: SirenLayer, i) => {
    kernels.layerForward(params[i].W, params[i].b, X, P, l.in, l.out, siren.shape.omega0, l.sine, tape.acts[i], tape.cos[i]);
    X = tape.acts[i];
  });
  return X;
}

/** ACCUMULATES dL/dθ into `grads` (layout of `params`) from df = dL/df [P, out] of the tape's forward pass. */
export function sirenTrainBackward(
  kernels: SirenKernels,
  siren: Siren,
  params: readonly SirenParams[],
  tape: SirenTape,
  df: ArrayLike<number>,
  grads: readonly SirenParams[],
): void {
  const L = siren.layers;
  const P = tape.P;
  const last = L.length - 1;
  if (df.length < P * L[last].out) throw new Error(`SIREN backward: ${df.length} gradients for ${P} points`);
  const top = tape.grads[last];
  for (let k = 0; k < P * L[last].out; k++) top[k] = df[k];
  for (let i = last; i >= 0; i--) {
    const l = L[i];
    const X = i > 0 ? tape.acts[i - 1] : tape.X;
    const dX = i > 0 ? tape.grads[i - 1] : null;
    kernels.layerBackward(params[i].W, X, tape.grads[i], tape.cos[i], P, l.in, l.out, grads[i].W, grads[i].b, dX);
  }
}
