/**
 * Adam with the reference's learning-rate groups (spec 4.4), assigned by parameter name:
 *   a → lr_embedding, lin_phi.* → lr_update (= learning_rate_start), W → lr_W, other (lin_edge.*) → lr.
 * β = (0.9, 0.999), ε = 1e−8, no weight decay; `reset()` re-creates the state (the reference
 * re-creates the optimiser at every epoch end). The step count t is shared by all tensors.
 */
import type { Backend } from "../kernels/backend.js";
import { ParamSet } from "./params.js";

export interface LearningRates {
  W: number;
  /** psi* (lin_edge). */
  lr: number;
  /** phi* (lin_phi). */
  update: number;
  embedding: number;
}

export function lrForTensor(name: string, rates: LearningRates): number {
  if (name === "a") return rates.embedding;
  if (name.includes("lin_phi")) return rates.update;
  if (name.includes("W")) return rates.W;
  return rates.lr;
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
