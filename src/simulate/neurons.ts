/**
 * Neuron types and per-neuron parameters of PDE_N2: params[type] = [g, s, c] with c = 1/τ.
 */

/** Types in contiguous blocks of floor(N/K); a remainder gets the last type. Int32 [N]. */
export function neuronTypes(N: number, K: number): Int32Array {
  const block = Math.floor(N / K);
  const types = new Int32Array(N);
  for (let i = 0; i < N; i++) types[i] = block > 0 ? Math.min(Math.floor(i / block), K - 1) : K - 1;
  return types;
}

export interface NeuronParams {
  g: Float32Array;
  s: Float32Array;
  c: Float32Array;
}

/** Per-neuron g, s, c (each [N]) from the per-type table params[type] = [g, s, c]. */
export function neuronParams(types: Int32Array, params: readonly (readonly number[])[]): NeuronParams {
  const N = types.length;
  const g = new Float32Array(N);
  const s = new Float32Array(N);
  const c = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const p = params[types[i]];
    g[i] = p[0];
    s[i] = p[1];
    c[i] = p[2];
  }
  return { g, s, c };
}

/** The true update function of a type: phi(x) = −c·x + s·tanh(x). */
export function truePhi(x: number, p: readonly number[]): number {
  return -p[2] * x + p[1] * Math.tanh(x);
}
