/**
 * Figure 3's visual input: a video V [pages, width, width] shown to the first width² neurons.
 *
 *   page shown at frame k:     f(k) = ⌊(pages − 1)·k / n_frames⌋, 0 ≤ k ≤ n_frames
 *                              (the reference's ⌊256·k/n_frames⌋ for its 257-page video; each page
 *                              lasts n_frames/256 frames and the last page is shown only at k = n_frames)
 *   input of neuron p < width²: Ω_p(k) = V[f(k)][width − 1 − (p mod width)][⌊p/width⌋]
 *                              (the reference rotates each page by np.rot90(page, 3), then reshapes it
 *                              row-major)
 *
 * Neurons p ≥ width² receive Ω = 1 (frames k ≥ 0); during the warm-up (k < 0) every Ω is 0.
 */
import { type Stimulus, stimulusFrame } from "../io/tiff.js";

/** The video page shown at frame k (0 ≤ k ≤ nFrames). */
export function videoPage(k: number, nFrames: number, pages: number): number {
  if (!(k >= 0 && k <= nFrames)) throw new RangeError(`frame ${k} is outside 0…${nFrames}`);
  // Same float expression as the reference: int(k / n_frames * 256).
  return Math.floor((k / nFrames) * (pages - 1));
}

/** Row and column of the video pixel that input neuron p (0 ≤ p < width²) receives. */
export function inputPixel(p: number, width: number): { row: number; col: number } {
  return { row: width - 1 - (p % width), col: Math.floor(p / width) };
}

/** Ω_p(k) of the width² input neurons at frame k: [width²]. The video must be square. */
export function visualInput(video: Stimulus, k: number, nFrames: number): Float32Array {
  const width = video.width;
  if (video.height !== width)
    throw new Error(`visual input: the video is ${video.width}×${video.height}, a square video is expected`);
  const page = stimulusFrame(video, videoPage(k, nFrames, video.frames));
  const out = new Float32Array(width * width);
  for (let p = 0; p < out.length; p++) {
    const { row, col } = inputPixel(p, width);
    out[p] = page[row * width + col];
  }
  return out;
}
