/**
 * Adam with the reference's learning-rate groups (spec 4.4), assigned by parameter name:
 *   a → rates.a, lin_phi.* → rates.phi, W → rates.W, other (lin_edge.*) → rates.psi.
 * β = (0.9, 0.999), ε = 1e−8, no weight decay; `reset()` re-creates the state (the reference
 * re-creates the optimiser at every epoch end). The step count t is shared by all tensors.
 */
import type { Backend } from "../kernels/backend.js";
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

  step(params: ParamSet, grad: ParamSet): void {
    this.t++;
    for (const s of params.specs) {
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
    // The mask keeps W's diagonal at zero.
    const N = params.shape.N;
    for (let i = 0; i < N; i++) params.W[i * N + i] = 0;
  }
}
