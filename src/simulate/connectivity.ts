import { Rng, STREAMS } from "../core/rng.js";
/**
 * The true connectivity W: [N, N] float32, row-major, W[i*N + j] = weight from presynaptic j to
 * postsynaptic i (row i = receiving neuron), zero diagonal. Drawn as the reference does
 * (Lorentz / Gaussian / uniform), or loaded from a `.npy` file; then Dale's law and the
 * filling-factor mask are applied.
 */
import { readNpy, readNpyHeader } from "../io/npy.js";

export type ConnectivityType = "Lorentz" | "Gaussian" | "uniform";

/** Exponent e of the Lorentz scaling W = s / N^e, by network size (reference values). */
export function lorentzExponent(N: number): number {
  if (N < 2000) return 0.7;
  if (N < 4000) return 0.675;
  if (N < 8000) return 0.67;
  if (N === 8000) return 0.66;
  return 0.5;
}

/**
 * Draw W of type `type` for N neurons:
 * - Lorentz: standard Cauchy samples, set to 0 where |s| > 25 (not clipped), divided by N^e;
 * - Gaussian: 𝒩(0, 1)/√N;
 * - uniform: U(−0.5, 0.5).
 * The diagonal is zero.
 */
export function drawConnectivity(
  type: ConnectivityType,
  N: number,
  seed: number,
  stream: number = STREAMS.connectivity,
): Float32Array {
  const rng = new Rng(seed, stream);
  const W = new Float32Array(N * N);
  if (type === "Lorentz") {
    const scale = 1 / N ** lorentzExponent(N);
    for (let k = 0; k < W.length; k++) {
      const s = rng.cauchy();
      W[k] = s < -25 || s > 25 ? 0 : s * scale;
    }
  } else if (type === "Gaussian") {
    const scale = 1 / Math.sqrt(N);
    for (let k = 0; k < W.length; k++) W[k] = rng.normal() * scale;
  } else {
    for (let k = 0; k < W.length; k++) W[k] = rng.uniform() - 0.5;
  }
  for (let i = 0; i < N; i++) W[i * N + i] = 0;
  return W;
}

/** Load W from a `.npy` file of shape [N, N] (float32 or float64). */
export function loadConnectivity(path: string, N: number): Float32Array {
  // The header alone is checked first: a wrong (or huge) file is never read whole.
  const { shape } = readNpyHeader(path);
  if (shape.length !== 2 || shape[0] !== N || shape[1] !== N) {
    throw new Error(`${path}: connectivity must have shape (${N}, ${N}) for n_neurons = ${N}, found (${shape.join(", ")})`);
  }
  const a = readNpy(path);
  let W: Float32Array;
  if (a.data instanceof Float32Array) W = Float32Array.from(a.data);
  else if (a.data instanceof Float64Array) W = Float32Array.from(a.data);
  else throw new Error(`${path}: connectivity must be float32 or float64, found ${a.dtype}`);
  for (let k = 0; k < W.length; k++) {
    if (!Number.isFinite(W[k])) throw new Error(`${path}: non-finite weight at W[${Math.floor(k / N)}, ${k % N}]`);
  }
  return W;
}

/** Dale's law: |W|, then the first floor(N·factor) columns (presynaptic) excitatory, the rest inhibitory. */
export function applyDaleLaw(W: Float32Array, N: number, factor: number): void {
  const nExc = Math.floor(N * factor);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const k = i * N + j;
      W[k] = j < nExc ? Math.abs(W[k]) : -Math.abs(W[k]);
    }
  }
}

/** Keep each weight with probability ff (zero it where u > ff). Returns the number of non-zeros. */
export function applyFillingFactor(W: Float32Array, ff: number, seed: number, stream: number = STREAMS.fillingMask): number {
  const rng = new Rng(seed, stream);
  let nnz = 0;
  for (let k = 0; k < W.length; k++) {
    if (rng.uniform() > ff) W[k] = 0;
    if (W[k] !== 0) nnz++;
  }
  return nnz;
}

export function countNonZero(W: Float32Array): number {
  let n = 0;
  for (let k = 0; k < W.length; k++) if (W[k] !== 0) n++;
  return n;
}
