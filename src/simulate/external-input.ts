/**
 * Figure 3's external input for `generate`: simulation.external_input_type "visual" with
 * external_input_mode "multiplicative" (PDE_N4):
 *   dx_i/dt = −a_i x_i + b_i + s_i tanh(x_i) + g_i Ω_i(k) Σ_j W_ij tanh((x_j − h_j)/w_j)
 *   Ω_i(k) = the video (visual-input.ts) for i < n_input_neurons, 1 for the others, frames k ≥ 0;
 *   Ω_i(k) = 0 for every neuron during the warm-up (k < 0: the network runs uncoupled, as the
 *   reference's warm-up does).
 * The video is simulation.node_value_map (a TIFF stack; a relative path resolves against the
 * config's folder, like connectivity_file). neural-gnn extension: simulation.visual_input_width = w
 * shows the video block-mean downsampled to a w×w grid (w divides the video's width), so that a
 * small network can see the same film (Figure 3's small form: 16×16 from 32×32).
 */
import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { ConfigError, type LoadedConfig } from "../config/load.js";
import { type Stimulus, StimulusError, readStimulus } from "../io/tiff.js";
import { visualInput } from "./visual-input.js";

/** The external input of a simulation: Ω of every neuron at frame k (k < 0: the warm-up). */
export interface ExternalInput {
  /** n_input_neurons: the neurons 0 … nInput − 1 that see the video (= width²). */
  readonly nInput: number;
  /** Side of the input grid. */
  readonly width: number;
  /** What the dataset records of it (dataset.json "external_input"). */
  readonly source: string;
  /** out[i] = Ω_i(k), out: [N]. */
  fill(k: number, out: Float32Array): void;
}

/** Resolve simulation.node_value_map (relative paths against the config's folder). */
export function nodeValueMapPath(loaded: LoadedConfig): string | undefined {
  const f = loaded.config.simulation.node_value_map;
  if (!f) return undefined;
  return isAbsolute(f) ? f : resolve(loaded.baseDir, f);
}

/**
 * The video V [pages, w, w] block-mean downsampled by an integer factor: each output pixel is the
 * mean of a factor×factor block (float64 sums), pages unchanged.
 */
export function downsampleVideo(video: Stimulus, width: number): Stimulus {
  const f = video.width / width;
  if (!Number.isInteger(f) || video.height !== video.width) {
    throw new RangeError(`a ${video.width}×${video.height} video cannot be block-averaged to ${width}×${width}`);
  }
  if (f === 1) return video;
  const out = new Float32Array(video.frames * width * width);
  const W0 = video.width;
  for (let t = 0; t < video.frames; t++) {
    for (let r = 0; r < width; r++) {
      for (let c = 0; c < width; c++) {
        let sum = 0;
        for (let dr = 0; dr < f; dr++) {
          for (let dc = 0; dc < f; dc++) sum += video.data[(t * W0 + r * f + dr) * W0 + c * f + dc];
        }
        out[(t * width + r) * width + c] = sum / (f * f);
      }
    }
  }
  return { frames: video.frames, height: width, width, data: out };
}

/**
 * The external input of `loaded` (undefined when external_input_type is "none"). Errors name the
 * config file and key: a missing or unreadable TIFF (node_value_map), a grid width that does not
 * divide the video's (visual_input_width), n_input_neurons ≠ width² or > n_neurons.
 */
export function externalInputOf(loaded: LoadedConfig): ExternalInput | undefined {
  const sim = loaded.config.simulation;
  if (sim.external_input_type === "none") return undefined;
  const file = loaded.file;
  const path = nodeValueMapPath(loaded);
  if (!path) throw new ConfigError(`${file}: simulation.node_value_map: the visual input needs a video (a TIFF stack)`);
  if (!existsSync(path)) throw new ConfigError(`${file}: simulation.node_value_map: video not found: ${path}`);
  let video: Stimulus;
  try {
    video = readStimulus(path);
  } catch (e) {
    if (e instanceof StimulusError) throw new ConfigError(`${file}: simulation.node_value_map: ${e.message}`);
    throw e;
  }
  if (video.width !== video.height) {
    throw new ConfigError(
      `${file}: simulation.node_value_map: ${path} is ${video.width}×${video.height}; a square video is expected`,
    );
  }
  const width = sim.visual_input_width ?? video.width;
  if (video.width % width !== 0) {
    throw new ConfigError(
      `${file}: simulation.visual_input_width = ${width} does not divide the video's width ${video.width} (${path})`,
    );
  }
  const nInput = width * width;
  if (sim.n_input_neurons !== nInput) {
    throw new ConfigError(
      `${file}: simulation.n_input_neurons = ${sim.n_input_neurons} but the video (${path}) gives ${width}×${width} = ${nInput} input pixels` +
        (sim.visual_input_width ? "" : " (set simulation.visual_input_width for a downsampled grid)"),
    );
  }
  if (nInput > sim.n_neurons) {
    throw new ConfigError(`${file}: simulation.n_input_neurons = ${nInput} is more than n_neurons = ${sim.n_neurons}`);
  }
  const grid = downsampleVideo(video, width);
  const nFrames = sim.n_frames;
  const source = `${sim.external_input_type} ${sim.external_input_mode}: ${path.split(/[\\/]/).pop()} (${video.frames} pages of ${video.width}×${video.width}${width !== video.width ? `, block mean to ${width}×${width}` : ""})`;
  return {
    nInput,
    width,
    source,
    fill(k, out) {
      if (k < 0) {
        out.fill(0);
        return;
      }
      out.set(visualInput(grid, k, nFrames));
      out.fill(1, nInput);
    },
  };
}
