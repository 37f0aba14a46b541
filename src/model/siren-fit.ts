/**
 * Fitting the SIREN Ω* alone to the video (Figure 3, staged demonstration (ii)): each iteration
 * draws B frames k uniformly from 0 … n_frames − 1, evaluates Ω*[b, p] at the width² input neurons
 * and takes one Adam step on the mean squared error against the true input
 *
 *   L = 1/(B·P) Σ_{b,p} (Ω*_p(k_b) − Ω_p(k_b))²,   Ω_p(k) = V[f(k)][width − 1 − (p mod width)][⌊p/width⌋]
 *
 * (simulate/visual-input.ts). It checks the initialisation, the sine layers, the backward pass and
 * Adam before the joint training; scored with analysis/siren-score.ts's omegaScore.
 */
import { Rng, STREAMS } from "../core/rng.js";
import type { Stimulus } from "../io/tiff.js";
import { visualInput } from "../simulate/visual-input.js";
import type { SirenLearner } from "./siren-learner.js";

/** The video at 1/factor resolution: each pixel the mean of a factor×factor block (width divisible by factor). */
export function downsampleVideo(video: Stimulus, factor: number): Stimulus {
  if (!(Number.isInteger(factor) && factor >= 1 && video.width % factor === 0 && video.height % factor === 0))
    throw new Error(`downsampleVideo: ${video.width}×${video.height} is not divisible into ${factor}×${factor} blocks`);
  const w = video.width / factor;
  const h = video.height / factor;
  const data = new Float32Array(video.frames * w * h);
  for (let f = 0; f < video.frames; f++) {
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        let s = 0;
        for (let i = 0; i < factor; i++)
          for (let j = 0; j < factor; j++) s += video.data[(f * video.height + r * factor + i) * video.width + c * factor + j];
        data[(f * h + r) * w + c] = s / (factor * factor);
      }
    }
  }
  return { frames: video.frames, height: h, width: w, data };
}

export interface SirenFitOptions {
  iterations: number;
  /** Frames per iteration (default 1, the reference's batch size for Figure 3). */
  batch?: number;
  /** Seed of the frame draws (default 42). */
  seed?: number;
  /** The loss curve's resolution: one point per `logEvery` iterations, their mean loss (default 100). */
  logEvery?: number;
  /** Called at each loss-curve point. */
  onLog?(iteration: number, loss: number): void;
}

export interface SirenFitResult {
  /** Mean loss of the iterations up to `iteration` (exclusive) since the previous point. */
  curve: { iteration: number; loss: number }[];
  seconds: number;
}

/** Fits `learner`'s SIREN to `video` (its width must be the learner's) by Adam on the MSE above. */
export function fitSirenToVideo(learner: SirenLearner, video: Stimulus, opts: SirenFitOptions): SirenFitResult {
  if (video.width !== learner.width)
    throw new Error(`fitSirenToVideo: the video is ${video.width} wide, the learner's grid ${learner.width}`);
  const B = opts.batch ?? 1;
  const logEvery = opts.logEvery ?? 100;
  const rng = new Rng(opts.seed ?? 42, STREAMS.sirenFit);
  const P = learner.P;
  const nFrames = learner.nFrames;
  const target = new Float32Array(B * P);
  const dOmega = new Float32Array(B * P);
  const curve: SirenFitResult["curve"] = [];
  let sum = 0;
  let count = 0;
  const t0 = performance.now();
  for (let it = 0; it < opts.iterations; it++) {
    const frames = Array.from({ length: B }, () => rng.int(nFrames));
    frames.forEach((k, b) => target.set(visualInput(video, k, nFrames), b * P));
    const omega = learner.forward(frames);
    let loss = 0;
    for (let j = 0; j < B * P; j++) {
      const e = omega[j] - target[j];
      loss += e * e;
      dOmega[j] = (2 * e) / (B * P);
    }
    learner.backward(dOmega);
    learner.step();
    sum += loss / (B * P);
    count++;
    if (count === logEvery || it === opts.iterations - 1) {
      curve.push({ iteration: it + 1, loss: sum / count });
      opts.onLog?.(it + 1, sum / count);
      sum = 0;
      count = 0;
    }
  }
  return { curve, seconds: (performance.now() - t0) / 1000 };
}
