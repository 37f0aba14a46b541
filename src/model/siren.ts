/**
 * The SIREN Ω*(r, c, t) that learns Figure 3's external input (Sitzmann et al. 2020, as the
 * reference's `Siren_Network`): a multilayer perceptron with sine activations
 *
 *   h₁ = sin(ω₀·(W₀·[r, c, t] + b₀))            first sine layer   (in → hidden)
 *   h_{l+1} = sin(ω₀·(W_l·h_l + b_l))            hidden sine layers (hidden → hidden), l = 1…hiddenLayers
 *   f = W_L·h_L + b_L                            outermost linear   (hidden → out)
 *   Ω* = f²                                      squared, so that the input stays non-negative
 *
 * For Figure 3: in 3, hidden 128, 5 hidden layers, out 1, ω₀ = 30 (config keys input_size_nnr_f,
 * hidden_dim_nnr_f, n_layers_nnr_f, output_size_nnr_f, outermost_linear_nnr_f, omega_f): 7 linear
 * layers, 83,201 parameters. Input neuron p = width·r + c of the width×width grid is evaluated at
 * (r/(width−1), c/(width−1), k/n_frames) for frame k.
 *
 * Parameters are named as in the reference's state_dict, so its checkpoints load unchanged:
 * `net.{l}.linear.weight` [out, in] and `net.{l}.linear.bias` [out] for the sine layers,
 * `net.{L}.weight` / `net.{L}.bias` for an outermost linear layer.
 *
 * This is the plain reference forward pass (float64 arithmetic on float32 parameters).
 */
import { Rng, STREAMS } from "../core/rng.js";
import { type NamedTensor, SafetensorsError, readSafetensors } from "../io/safetensors.js";

export interface SirenShape {
  /** 3: (r, c, t) */
  inFeatures: number;
  hiddenFeatures: number;
  /** sine layers after the first one */
  hiddenLayers: number;
  outFeatures: number;
  /** last layer linear (true) or a sine layer (false) */
  outermostLinear: boolean;
  /** ω₀, the same for the first and the hidden layers */
  omega0: number;
}

export interface SirenLayer {
  /** [out, in], row-major as torch.nn.Linear */
  weight: Float32Array;
  /** [out] */
  bias: Float32Array;
  in: number;
  out: number;
  /** sin(ω₀·z) after the affine map, or none (outermost linear) */
  sine: boolean;
}

export interface Siren {
  shape: SirenShape;
  layers: SirenLayer[];
}

/** The SIREN's shape from the config's graph_model section (the `*_nnr_f` keys and omega_f). */
export function sirenShape(gm: {
  input_size_nnr_f: number;
  hidden_dim_nnr_f: number;
  n_layers_nnr_f: number;
  output_size_nnr_f: number;
  outermost_linear_nnr_f: boolean;
  omega_f: number;
}): SirenShape {
  return {
    inFeatures: gm.input_size_nnr_f,
    hiddenFeatures: gm.hidden_dim_nnr_f,
    hiddenLayers: gm.n_layers_nnr_f,
    outFeatures: gm.output_size_nnr_f,
    outermostLinear: gm.outermost_linear_nnr_f,
    omega0: gm.omega_f,
  };
}

/** Layer widths and kinds: [in→hidden (sine), hidden→hidden (sine) × hiddenLayers, hidden→out]. */
function layerPlan(s: SirenShape): { in: number; out: number; sine: boolean }[] {
  const h = s.hiddenFeatures;
  return [
    { in: s.inFeatures, out: h, sine: true },
    ...Array.from({ length: s.hiddenLayers }, () => ({ in: h, out: h, sine: true })),
    { in: h, out: s.outFeatures, sine: !s.outermostLinear },
  ];
}

export function sirenParamCount(s: SirenShape): number {
  return layerPlan(s).reduce((n, l) => n + l.out * (l.in + 1), 0);
}

/**
 * A freshly initialised SIREN (the reference's scheme):
 *   first layer W ~ U(±1/in); hidden and last layers W ~ U(±√(6/in)/ω₀);
 *   biases U(±1/√in) (torch.nn.Linear's default).
 */
export function initSiren(shape: SirenShape, seed: number): Siren {
  const rng = new Rng(seed, STREAMS.sirenInit);
  const u = (bound: number) => (2 * rng.uniform() - 1) * bound;
  const layers = layerPlan(shape).map((l, i) => {
    const wBound = i === 0 ? 1 / l.in : Math.sqrt(6 / l.in) / shape.omega0;
    const bBound = 1 / Math.sqrt(l.in);
    const weight = Float32Array.from({ length: l.out * l.in }, () => u(wBound));
    const bias = Float32Array.from({ length: l.out }, () => u(bBound));
    return { ...l, weight, bias };
  });
  return { shape, layers };
}

/** The reference's tensor names of layer i: sine layers wrap their Linear in `.linear`. */
function tensorNames(i: number, sine: boolean): { weight: string; bias: string } {
  const base = sine ? `net.${i}.linear` : `net.${i}`;
  return { weight: `${base}.weight`, bias: `${base}.bias` };
}

/**
 * A SIREN from named tensors (a safetensors file of the reference's `model_state_dict`); the layer
 * count, widths and whether the last layer is linear are read from the names and shapes, ω₀ is
 * not stored and must be given. `name` (the file) for messages.
 */
export function sirenFromTensors(tensors: Map<string, NamedTensor>, omega0: number, name: string): Siren {
  const layers: SirenLayer[] = [];
  for (let i = 0; ; i++) {
    const sine = tensors.has(`net.${i}.linear.weight`);
    if (!sine && !tensors.has(`net.${i}.weight`)) break;
    const names = tensorNames(i, sine);
    const w = tensors.get(names.weight)!;
    const b = tensors.get(names.bias);
    if (w.shape.length !== 2) throw new SafetensorsError(`${name}: ${names.weight} has shape (${w.shape}), [out, in] expected`);
    const [out, inF] = w.shape;
    if (!b || b.shape.length !== 1 || b.shape[0] !== out)
      throw new SafetensorsError(`${name}: ${names.bias} is missing or not of shape (${out})`);
    if (i > 0 && inF !== layers[i - 1].out)
      throw new SafetensorsError(`${name}: ${names.weight} takes ${inF} inputs but layer ${i - 1} gives ${layers[i - 1].out}`);
    layers.push({ weight: w.data, bias: b.data, in: inF, out, sine });
  }
  if (layers.length < 2) throw new SafetensorsError(`${name}: no SIREN here (net.0.linear.weight … net.L.weight expected)`);
  if (layers.slice(0, -1).some((l) => !l.sine))
    throw new SafetensorsError(`${name}: only the last SIREN layer may be linear (net.{l}.linear.* before it)`);
  const used = new Set(layers.flatMap((l, i) => Object.values(tensorNames(i, l.sine))));
  // Adam moments saved with it (model/siren-learner.ts) are not part of the SIREN.
  const extra = [...tensors.keys()].filter((k) => !used.has(k) && !k.startsWith("optimizer."));
  if (extra.length) throw new SafetensorsError(`${name}: unexpected tensors for a SIREN: ${extra.slice(0, 5).join(", ")}`);
  const first = layers[0];
  const last = layers[layers.length - 1];
  const hidden = layers.slice(1, -1);
  if (hidden.some((l) => l.in !== first.out || l.out !== first.out) || last.in !== first.out)
    throw new SafetensorsError(`${name}: the hidden layers must all be ${first.out} wide`);
  const shape: SirenShape = {
    inFeatures: first.in,
    hiddenFeatures: first.out,
    hiddenLayers: hidden.length,
    outFeatures: last.out,
    outermostLinear: !last.sine,
    omega0,
  };
  return { shape, layers };
}

/** Read a SIREN saved as safetensors with the reference's names (see sirenFromTensors). */
export function readSiren(path: string, omega0: number): Siren {
  return sirenFromTensors(readSafetensors(path).tensors, omega0, path);
}

/** The SIREN's tensors under the reference's names, in layer order (for writeSafetensors). */
export function sirenTensors(siren: Siren): NamedTensor[] {
  return siren.layers.flatMap((l, i) => {
    const names = tensorNames(i, l.sine);
    return [
      { name: names.weight, shape: [l.out, l.in], data: l.weight },
      { name: names.bias, shape: [l.out], data: l.bias },
    ];
  });
}

/**
 * f(x) for P input points: `coords` [P, in] row-major → [P, out] (before squaring).
 * Each layer: z[p, o] = b[o] + Σ_i W[o, i]·h[p, i], then sin(ω₀·z) for sine layers.
 */
export function sirenForward(siren: Siren, coords: ArrayLike<number>, P: number): Float64Array {
  const { layers, shape } = siren;
  if (coords.length !== P * shape.inFeatures)
    throw new Error(`sirenForward: ${coords.length} coordinates for ${P} points of ${shape.inFeatures}`);
  let h = Float64Array.from(coords);
  for (const l of layers) {
    const z = new Float64Array(P * l.out);
    affine(Float64Array.from(l.weight), Float64Array.from(l.bias), h, z, P, l.in, l.out);
    if (l.sine) for (let k = 0; k < z.length; k++) z[k] = Math.sin(shape.omega0 * z[k]);
    h = z;
  }
  return h;
}

/**
 * z[p, o] = b[o] + Σ_i W[o, i]·h[p, i]; W [nOut, nIn], h [P, nIn], z [P, nOut]. Tiles of two
 * points × four outputs keep eight sums in registers.
 */
function affine(W: Float64Array, b: Float64Array, h: Float64Array, z: Float64Array, P: number, nIn: number, nOut: number): void {
  let p = 0;
  for (; p + 2 <= P; p += 2) {
    const ha = p * nIn;
    const hb = ha + nIn;
    let o = 0;
    for (; o + 4 <= nOut; o += 4) {
      const w0 = o * nIn;
      const w1 = w0 + nIn;
      const w2 = w1 + nIn;
      const w3 = w2 + nIn;
      let a0 = b[o];
      let a1 = b[o + 1];
      let a2 = b[o + 2];
      let a3 = b[o + 3];
      let b0 = a0;
      let b1 = a1;
      let b2 = a2;
      let b3 = a3;
      for (let i = 0; i < nIn; i++) {
        const x = h[ha + i];
        const y = h[hb + i];
        const u0 = W[w0 + i];
        const u1 = W[w1 + i];
        const u2 = W[w2 + i];
        const u3 = W[w3 + i];
        a0 += u0 * x;
        a1 += u1 * x;
        a2 += u2 * x;
        a3 += u3 * x;
        b0 += u0 * y;
        b1 += u1 * y;
        b2 += u2 * y;
        b3 += u3 * y;
      }
      const za = p * nOut + o;
      const zb = za + nOut;
      z[za] = a0;
      z[za + 1] = a1;
      z[za + 2] = a2;
      z[za + 3] = a3;
      z[zb] = b0;
      z[zb + 1] = b1;
      z[zb + 2] = b2;
      z[zb + 3] = b3;
    }
    for (; o < nOut; o++) {
      affineOne(W, b, h, z, p, o, nIn, nOut);
      affineOne(W, b, h, z, p + 1, o, nIn, nOut);
    }
  }
  for (; p < P; p++) for (let o = 0; o < nOut; o++) affineOne(W, b, h, z, p, o, nIn, nOut);
}

/** One entry z[p, o] of the affine map above. */
function affineOne(
  W: Float64Array,
  b: Float64Array,
  h: Float64Array,
  z: Float64Array,
  p: number,
  o: number,
  nIn: number,
  nOut: number,
) {
  let s = b[o];
  for (let i = 0; i < nIn; i++) s += W[o * nIn + i] * h[p * nIn + i];
  z[p * nOut + o] = s;
}

/**
 * The inputs of a width×width grid at time t: [width², 3], point p = width·r + c gets
 * (r/(width−1), c/(width−1), t) (the reference's `get_mgrid`: linspace(0, 1, width) per axis,
 * indexing "ij"), rounded to float32 as the reference feeds them.
 */
export function sirenGrid(width: number, t: number): Float32Array {
  const out = new Float32Array(width * width * 3);
  const step = width > 1 ? 1 / (width - 1) : 0;
  for (let r = 0; r < width; r++) {
    for (let c = 0; c < width; c++) {
      const p = width * r + c;
      out[3 * p] = r * step;
      out[3 * p + 1] = c * step;
      out[3 * p + 2] = t;
    }
  }
  return out;
}

/**
 * f over the width×width grid at normalised time t = k/n_frames: [width²], neuron p = width·r + c.
 * The learned input is Ω*_p = f_p² (see sirenOmega).
 */
export function sirenField(siren: Siren, width: number, t: number): Float64Array {
  if (siren.shape.inFeatures !== 3 || siren.shape.outFeatures !== 1)
    throw new Error(
      `sirenField: a SIREN (r, c, t) → f is expected, this one maps ${siren.shape.inFeatures} → ${siren.shape.outFeatures}`,
    );
  return sirenForward(siren, sirenGrid(width, t), width * width);
}

/** Ω*_p(t) = f_p(t)², the learned external input of the width² input neurons at t = k/n_frames. */
export function sirenOmega(siren: Siren, width: number, t: number): Float64Array {
  const f = sirenField(siren, width, t);
  for (let p = 0; p < f.length; p++) f[p] *= f[p];
  return f;
}
