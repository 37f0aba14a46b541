/**
 * Adam with the reference's learning-rate groups (spec 4.4), assigned by parameter name:
 *   a → rates.a, lin_phi.* → rates.phi, W → rates.W, other (lin_edge.*) → rates.psi.
 * β = (0.9, 0.999), ε = 1e−8, no weight decay; `reset()` re-creates the state (the reference
 * re-creates the optimiser at every epoch end). The step count t is shared by all tensors.
 *
 * With a backend that fuses W's gradient into W's Adam step (Backend.messagesBackwardAdamW),
 * `lossAndGrad` takes W's step of the coming `step()` itself (`stepWFused`), and `step()` skips W.
 * Tensors named in `fixed` are constants, not parameters (training_single_type's a): `step()` never
 * changes them, whatever their learning rate, as PyTorch's optimiser never sees a buffer.
 */
import type { Arr, Backend } from "../kernels/backend.js";
import { ParamSet } from "./params.js";

/** A learning rate per parameter group, named after the paper's symbols. */
export interface LearningRates {
  /** W (learning_rate_W_start). */
  W: number;
  /** The embeddings a (learning_rate_embedding_start). */
  a: number;
  /** phi* (lin_phi; learning_rate_start, the reference's lr_update). */
  phi: number;
  /** psi* (lin_edge; learning_rate_start, the reference's lr). */
  psi: number;
}

export function lrForTensor(name: string, rates: LearningRates): number {
  if (name === "a") return rates.a;
  if (name.includes("lin_phi")) return rates.phi;
  if (name.includes("W")) return rates.W;
  return rates.psi;
}

export class Adam {
  readonly m: ParamSet;
  readonly v: ParamSet;
  t = 0;
  /** Names of the tensors that no step changes (e.g. "a" with training_single_type). */
  readonly fixed = new Set<string>();
  /** W's step of the coming `step()` was taken by stepWFused. */
  private wDone = false;

  constructor(
    private readonly backend: Backend,
    params: ParamSet,
    public rates: LearningRates,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {
    this.m = new ParamSet(params.shape, backend);
    this.v = new ParamSet(params.shape, backend);
  }

  reset(): void {
    this.m.data.fill(0);
    this.v.data.fill(0);
    this.t = 0;
  }

  /**
   * When the backend fuses them, the messages' backward (dP = G W, see Backend.messagesBackward) with
   * W's Adam step of the coming `step()` (its gradient plus l1·sign(W), the W L1 penalty's), which
   * then leaves W alone; returns false (and does nothing) otherwise.
   */
  stepWFused(params: ParamSet, G: Arr, P: Arr, B: number, dP: Arr, l1 = 0): boolean {
    const fused = this.backend.messagesBackwardAdamW;
    if (!fused || this.fixed.has("W")) return false;
    const N = params.shape.N;
    const lr = lrForTensor("W", this.rates);
    fused.call(this.backend, params.W, G, P, B, N, dP, this.m.W, this.v.W, lr, this.beta1, this.beta2, this.eps, this.t + 1, l1);
    this.wDone = true;
    return true;
  }

  step(params: ParamSet, grad: ParamSet): void {
    this.t++;
    for (const s of params.specs) {
      if ((s.name === "W" && this.wDone) || this.fixed.has(s.name)) continue;
      const sl = (x: ParamSet) => x.data.subarray(s.offset, s.offset + s.size);
      this.backend.adam(
        sl(params),
        sl(grad),
        sl(this.m),
        sl(this.v),
        lrForTensor(s.name, this.rates),
        this.beta1,
        this.beta2,
        this.eps,
        this.t,
      );
    }
    this.wDone = false;
    // The mask keeps W's diagonal at zero.
    const N = params.shape.N;
    for (let i = 0; i < N; i++) params.W[i * N + i] = 0;
  }
}
