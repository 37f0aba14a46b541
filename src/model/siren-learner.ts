/**
 * The SIREN Ω* as a learner, for the GNN's joint training (Figure 3) and for fitting it alone:
 *
 *   forward(frames)   Ω*[b, p] = f_p(k_b/n_frames)², B frames × P = width² input neurons, neuron
 *                     p = width·r + c at (r/(width−1), c/(width−1), k_b/n_frames) (float32 times);
 *   backward(dΩ*)     accumulates dL/dθ = Σ_{b,p} dL/dΩ*[b, p] · 2f_p(k_b) · ∂f_p(k_b)/∂θ;
 *   step()            one Adam step on θ (PyTorch Adam: β = (0.9, 0.999), ε = 1e−8, no weight
 *                     decay, lr = training.learning_rate_NNR_f), then zeroes the gradients.
 *
 * The optimiser is created once with the learner and never reset (the reference keeps the
 * SIREN's Adam across epochs, unlike the GNN's). The learner trains `siren` in place, so
 * sirenField / omegaScore read the current Ω* (with float32 kernels, the layers' weight and bias
 * arrays are first replaced by equal ones in the kernels' memory). Checkpoints: saveSirenLearner / loadSirenLearner
 * (safetensors; the SIREN's tensors under the reference's state_dict names plus the Adam moments
 * `optimizer.state.{i}.exp_avg` / `.exp_avg_sq`, i the parameter's index in state_dict order, and
 * the step count in the metadata `optimizer.step`).
 *
 * Joint training, per iteration on frames k_b (pred_i = φ*_i + Ω*_i·msg_i, msg_i = Σ_j W_ij ψ*_j):
 *   const omega = learner.forward(ks);   // Ω* of neurons p < width²; the others take Ω* = 1
 *   …GNN forward and loss…; dL/dΩ*[b, p] = dL/dpred[b, p] · msg[b, p]
 *   learner.backward(dOmega); learner.step();
 * With the native backend, pass its `siren` kernels (NativeBackend.siren) so that the GNN and the
 * SIREN share one thread pool (idle pool workers spin for a while: two pools would compete).
 */
import { type NamedTensor, SafetensorsError, readSafetensors, writeSafetensors } from "../io/safetensors.js";
import type { Arr } from "../kernels/backend.js";
import { loadNative } from "../kernels/native/addon.js";
import { nativeBackend } from "../kernels/native/backend.js";
import { referenceBackend } from "../kernels/reference.js";
import { type SirenKernels, referenceSirenKernels } from "../kernels/siren.js";
import { type SirenParams, type SirenTape, sirenTape, sirenTrainBackward, sirenTrainForward } from "./siren-train.js";
import { type Siren, sirenGrid, sirenTensors } from "./siren.js";

let shared: SirenKernels | undefined;

/**
 * The fastest SIREN kernels here: the native backend's (one shared pool, all cores) when the addon
 * is built and not disabled (NEURAL_GNN_NATIVE=0), else the float32 reference.
 */
export function defaultSirenKernels(): SirenKernels {
  if (!shared) shared = "why" in loadNative() ? referenceSirenKernels("f32") : nativeBackend().siren;
  return shared;
}

export class SirenLearner {
  /** Adam's step count t (never reset). */
  t = 0;
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  readonly eps = 1e-8;
  /** dL/dθ, accumulated by backward since the last step; layout of `params`. */
  readonly grads: SirenParams[];
  /** Adam's first and second moments, layout of `params`. */
  readonly m: Float32Array[];
  readonly v: Float32Array[];
  /** The SIREN's own arrays, trained in place. */
  readonly params: SirenParams[];
  private tape: SirenTape;
  private df: Arr;
  private readonly grid: Float32Array;

  constructor(
    readonly siren: Siren,
    readonly width: number,
    readonly nFrames: number,
    public lr: number,
    readonly kernels: SirenKernels = defaultSirenKernels(),
  ) {
    const { inFeatures, outFeatures } = siren.shape;
    if (inFeatures !== 3 || outFeatures !== 1)
      throw new Error(`SirenLearner: a SIREN (r, c, t) → f is expected, not ${inFeatures} → ${outFeatures}`);
    // Float32 kernels may need their own memory (wasm): the SIREN's arrays move there.
    const own = (a: Float32Array): Float32Array => {
      const b = kernels.alloc(a.length);
      if (!(b instanceof Float32Array)) return a;
      b.set(a);
      return b;
    };
    for (const l of siren.layers) {
      l.weight = own(l.weight);
      l.bias = own(l.bias);
    }
    this.params = siren.layers.map((l) => ({ W: l.weight, b: l.bias }));
    const zeros = () => siren.layers.flatMap((l) => [new Float32Array(l.weight.length), new Float32Array(l.bias.length)]);
    this.m = zeros();
    this.v = zeros();
    this.grads = siren.layers.map((l) => ({ W: kernels.alloc(l.weight.length), b: kernels.alloc(l.bias.length) }));
    this.grid = sirenGrid(width, 0);
    this.tape = sirenTape(kernels, siren, width * width);
    this.df = kernels.alloc(width * width);
  }

  /** P = width², the input neurons. */
  get P(): number {
    return this.width * this.width;
  }

  /** Ω* [B, P] for frames k_b (0 ≤ k_b ≤ nFrames); keeps what backward needs. */
  forward(frames: readonly number[]): Float32Array {
    const P = this.P;
    const n = frames.length * P;
    if (n > this.tape.capacity) {
      this.tape = sirenTape(this.kernels, this.siren, n);
      this.df = this.kernels.alloc(n);
    }
    const X = this.tape.X;
    frames.forEach((k, b) => {
      const t = Math.fround(k / this.nFrames);
      for (let p = 0; p < P; p++) {
        X[3 * (b * P + p)] = this.grid[3 * p];
        X[3 * (b * P + p) + 1] = this.grid[3 * p + 1];
        X[3 * (b * P + p) + 2] = t;
      }
    });
    const f = sirenTrainForward(this.kernels, this.siren, this.params, this.tape, n);
    const omega = new Float32Array(n);
    for (let k = 0; k < n; k++) omega[k] = f[k] * f[k];
    return omega;
  }

  /**
   * f [P] over the grid at normalised time t (Ω* = f²) on the learner's kernels, for scoring
   * (omegaScore's `field`); overwrites what backward needs, so not between forward and backward.
   */
  field(t: number): Float64Array {
    const P = this.P;
    this.tape.X.set(sirenGrid(this.width, t));
    return Float64Array.from(sirenTrainForward(this.kernels, this.siren, this.params, this.tape, P).subarray(0, P));
  }

  /** Accumulates dL/dθ from dL/dΩ* [B, P] of the last forward (dL/df = 2f·dL/dΩ*). */
  backward(dOmega: ArrayLike<number>): void {
    const n = this.tape.P;
    if (dOmega.length !== n)
      throw new Error(`SirenLearner.backward: ${dOmega.length} gradients for the ${n} outputs of the last forward`);
    const f = this.tape.acts[this.tape.acts.length - 1];
    for (let k = 0; k < n; k++) this.df[k] = 2 * f[k] * dOmega[k];
    sirenTrainBackward(this.kernels, this.siren, this.params, this.tape, this.df, this.grads);
  }

  /** One Adam step with the accumulated gradients, then zero them. */
  step(): void {
    this.t++;
    const { beta1, beta2, eps, lr, t } = this;
    const grads = this.flat(this.grads);
    this.flat(this.params).forEach((p, j) => {
      const g = grads[j];
      if (this.kernels.adam) this.kernels.adam(p, g, this.m[j], this.v[j], lr, beta1, beta2, eps, t);
      else plainAdam(p, g, this.m[j], this.v[j], lr, beta1, beta2, eps, t);
      g.fill(0);
    });
  }

  /** The SIREN's and Adam's tensors (state_dict order and names) and the step count, for a checkpoint. */
  state(): { tensors: NamedTensor[]; metadata: Record<string, string> } {
    const model = sirenTensors(this.siren).map((t) => ({ ...t, data: Float32Array.from(t.data) }));
    const moments = model.flatMap((t, i) => [
      { name: `optimizer.state.${i}.exp_avg`, shape: t.shape, data: Float32Array.from(this.m[i]) },
      { name: `optimizer.state.${i}.exp_avg_sq`, shape: t.shape, data: Float32Array.from(this.v[i]) },
    ]);
    return { tensors: [...model, ...moments], metadata: { "optimizer.step": String(this.t), "optimizer.lr": String(this.lr) } };
  }

  /** Restores parameters and Adam state from `state()`'s tensors (shapes must match); `name` for messages. */
  setState(tensors: Map<string, NamedTensor>, metadata: Record<string, string>, name: string): void {
    const model = sirenTensors(this.siren);
    const need = (key: string, shape: number[]): Float32Array => {
      const t = tensors.get(key);
      if (!t || t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
        throw new SafetensorsError(`${name}: tensor "${key}" of shape (${shape.join(", ")}) expected`);
      return t.data;
    };
    const step = Number(metadata["optimizer.step"]);
    if (!Number.isInteger(step) || step < 0) throw new SafetensorsError(`${name}: no valid "optimizer.step" in the metadata`);
    const loaded = model.map((t, i) => [
      need(t.name, t.shape),
      need(`optimizer.state.${i}.exp_avg`, t.shape),
      need(`optimizer.state.${i}.exp_avg_sq`, t.shape),
    ]);
    model.forEach((t, i) => {
      t.data.set(loaded[i][0]);
      this.m[i].set(loaded[i][1]);
      this.v[i].set(loaded[i][2]);
    });
    this.t = step;
    for (const g of this.flat(this.grads)) g.fill(0);
  }

  private flat(ps: readonly SirenParams[]): Arr[] {
    return ps.flatMap((p) => [p.W, p.b]);
  }
}

/** PyTorch's Adam (no weight decay) in plain loops: for kernels without their own. */
const plainAdam = referenceBackend("f32").adam;

/** Writes the learner's SIREN and Adam state (see SirenLearner.state) as safetensors. */
export function saveSirenLearner(path: string, learner: SirenLearner, metadata: Record<string, string> = {}): void {
  const s = learner.state();
  writeSafetensors(path, s.tensors, { ...metadata, ...s.metadata });
}

/** Loads a saveSirenLearner file into `learner` (same SIREN shape); returns the file's metadata. */
export function loadSirenLearner(path: string, learner: SirenLearner): Record<string, string> {
  const { tensors, metadata } = readSafetensors(path);
  learner.setState(tensors, metadata, path);
  return metadata;
}
