/**
 * The data of one column of the training montage (Supp Fig 1) for one checkpoint: embeddings,
 * phi* and psi* curves, and W corrected with the FINAL model's ψ̄_j/g and slope (so the slope drift
 * of early checkpoints shows, as in the paper), with its fit against the true W.
 */
import { type OlsFit, connectivityFit } from "../core/regression.js";
import type { Backend } from "../kernels/backend.js";
import { type CurveWorkspace, samplePhi, samplePsiCurves } from "../model/curves.js";
import type { ParamSet } from "../model/params.js";
import { type Evaluation, correctedW } from "./evaluate.js";

export interface MontageColumn {
  /** Embeddings [N, d]. */
  a: Float32Array;
  /** phi* on rPhi for every neuron [N, nR]. */
  phi: Float32Array;
  /** psi*(rPsi)/ψ̄ with the final model's ψ̄ [nR], or PDE_N4's psi*([rPsi, a_n])/ψ̄_n [N, nR]. */
  psi: Float32Array;
  /** W*_ij·ψ̄_j/g/slope of the final model, diagonal 0 [N, N]. */
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
  final: Pick<Evaluation, "psiUpper" | "corrected">,
  g: number,
  trueW?: ArrayLike<number>,
): MontageColumn {
  const N = p.shape.N;
  const slope = final.corrected?.slope ?? 1;
  const W = correctedW(
    p.W,
    N,
    Array.from(final.psiUpper, (u) => u / g / slope),
  );
  const { Y: psi } = samplePsiCurves(backend, p, rPsi);
  const nR = rPsi.length;
  for (let k = 0; k < psi.length; k++) psi[k] /= final.psiUpper[Math.floor(k / nR)];
  return {
    a: Float32Array.from(p.a),
    phi: samplePhi(backend, p, curves, rPhi),
    psi,
    W,
    fit: trueW ? connectivityFit(W, trueW, N) : undefined,
  };
}
