/**
 * How well the learned external input Ω* = f² matches the true Ω (Figure 3e), scored as the
 * reference does (`GNN_PlotFigure.py`, external-input branch), on the √ scale:
 *
 *   scale      s = max_pixels √V[0] / (max_p |f_p(0)| + 1e-8)          one scalar, from frame 0 only
 *   frames     k = 0, Δ, 2Δ, … < n_frames with Δ = ⌊n_frames/100⌋      (100 frames for 50,000)
 *   pairs      true √Ω_p(k) against learned s·√(f_p(k)²) = s·|f_p(k)| for the width² input neurons,
 *              each neuron paired with the video pixel it receives (simulate/visual-input.ts)
 *   fit        OLS learned ≈ slope·true + intercept over all pairs pooled, R² = 1 − SS_res/SS_tot
 *
 * R² does not depend on s; the slope does (slope = s·raw slope). Both axes are √Ω although the
 * reference labels them Ω.
 */
import { type OlsFit, olsFit } from "../core/regression.js";
import type { Stimulus } from "../io/tiff.js";
import { type Siren, sirenField } from "../model/siren.js";
import { visualInput } from "../simulate/visual-input.js";

export interface OmegaScore {
  /** pooled fit of learned (scaled) against true √Ω */
  r2: number;
  slope: number;
  intercept: number;
  /** slope before the frame-0 scale: slope / s */
  rawSlope: number;
  /** s, the frame-0 scale factor */
  scale: number;
  /** the scored frames k */
  frames: number[];
  /** per-frame fits, in the order of `frames` */
  perFrame: OlsFit[];
  /** √Ω_p(k): [frames, width²], neuron order p */
  truth: Float64Array;
  /** s·|f_p(k)|: [frames, width²], neuron order p */
  learned: Float64Array;
}

/** The scored frames: 0, Δ, 2Δ, … < nFrames with Δ = max(1, ⌊nFrames/count⌋). */
export function scoredFrames(nFrames: number, count = 100): number[] {
  const step = Math.max(1, Math.floor(nFrames / count));
  const out: number[] = [];
  for (let k = 0; k < nFrames; k += step) out.push(k);
  return out;
}

/**
 * Score the SIREN Ω* against the video it learned. `nFrames` is the simulation's n_frames (the
 * SIREN's time input is k/n_frames); the input neurons are the video's width² pixels.
 */
export function omegaScore(
  siren: Siren,
  video: Stimulus,
  nFrames: number,
  count = 100,
  /** f over the grid at time t (default: the plain float64 pass sirenField; e.g. SirenLearner.field, faster) */
  field: (t: number) => ArrayLike<number> = (t) => sirenField(siren, video.width, t),
): OmegaScore {
  return omegaScoreOf((k) => visualInput(video, k, nFrames), video.width * video.width, nFrames, field, count);
}

/**
 * omegaScore against any truth: `truth(k)` = Ω_p(k) of the P input neurons at frame k (e.g. the
 * dataset's external_input.npy row k, the very input the simulation used); the frame-0 scale
 * uses max_p √Ω_p(0), which is max √V[0] for the video.
 */
export function omegaScoreOf(
  truthAt: (k: number) => ArrayLike<number>,
  P: number,
  nFrames: number,
  field: (t: number) => ArrayLike<number>,
  count = 100,
): OmegaScore {
  const t32 = (k: number) => Math.fround(k / nFrames); // the reference feeds float32 times
  let videoMax = Number.NEGATIVE_INFINITY;
  for (const v of Array.from(truthAt(0))) videoMax = Math.max(videoMax, Math.sqrt(v));
  let fMax = Number.NEGATIVE_INFINITY;
  for (const f of Array.from(field(0))) fMax = Math.max(fMax, Math.abs(f));
  const scale = videoMax / (fMax + 1e-8);

  const frames = scoredFrames(nFrames, count);
  const truth = new Float64Array(frames.length * P);
  const learned = new Float64Array(frames.length * P);
  const perFrame = frames.map((k, n) => {
    const omega = truthAt(k);
    const f = field(t32(k));
    const x = truth.subarray(n * P, (n + 1) * P);
    const y = learned.subarray(n * P, (n + 1) * P);
    for (let p = 0; p < P; p++) {
      x[p] = Math.sqrt(omega[p]);
      y[p] = scale * Math.abs(f[p]);
    }
    return olsFit(x, y);
  });
  const fit = olsFit(truth, learned);
  return {
    r2: fit.r2,
    slope: fit.slope,
    intercept: fit.intercept,
    rawSlope: fit.slope / scale,
    scale,
    frames,
    perFrame,
    truth,
    learned,
  };
}
