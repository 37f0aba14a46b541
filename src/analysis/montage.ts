/**
 * The data of one column of the training montage (Supp Fig 1) for one checkpoint: embeddings,
 * phi* and psi* curves, and W corrected with the FINAL model's ψ̄/g and slope (so the slope drift
 * of early checkpoints shows, as in the paper), with its fit against the true W.
 */
import { type OlsFit, connectivityFit } from "../core/regression.js";
import type { Backend } from "../kernels/backend.js";
import { type CurveWorkspace, samplePhi, samplePsi } from "../model/curves.js";
import type { ParamSet } from "../model/params.js";
import { type Evaluation, correctedW } from "./evaluate.js";

export interface MontageColumn {
  /** Embeddings [N, d]. */
  a: Float32Array;
  /** phi* on rPhi for every neuron [N, nR]. */
  phi: Float32Array;
  /** psi*(rPsi)/ψ̄ of the final model. */
  psi: Float32Array;
  /** W*·ψ̄/g/slope of the final model, diagonal 0 [N, N]. */
  W: Float32Array;
  /** Learned against true W, when the truth is known. */
  fit?: OlsFit;
}

/** The column of model `p` (a checkpoint) against the final evaluation `final`. */
export function montageColumn(
  backend: Backend,
  p: ParamSet,
  curves: CurveWorkspace,
  rPhi: Float32Array,
  rPsi: Float32Array,
  final: Pick<Evaluation, "psiPlateau" | "corrected">,
  g: number,
  trueW?: ArrayLike<number>,
): MontageColumn {
  const N = p.shape.N;
  const W = correctedW(p.W, N, final.psiPlateau / g / (final.corrected?.slope ?? 1));
  return {
    a: Float32Array.from(p.a),
    phi: samplePhi(backend, p, curves, rPhi),
    psi: samplePsi(backend, p, rPsi).map((v) => v / final.psiPlateau),
    W,
    fit: trueW ? connectivityFit(W, trueW, N) : undefined,
  };
}
