/**
 * `neural-gnn siren-fit`: the SIREN Ω* fitted alone to the video (Figure 3, staged demonstration
 * (ii); model/siren-fit.ts), scored as Figure 3e (analysis/siren-score.ts). Writes into <out>:
 *   models/siren.safetensors   the SIREN and its Adam state (model/siren-learner.ts)
 *   results/siren_fit.json     settings, R², slope, per-frame R² range, seconds, ms per iteration
 *   results/loss.csv           the loss curve (iteration, mean MSE)
 *   figures/siren_loss.{svg,png}, figures/siren_scatter.{svg,png}
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { omegaScore } from "../analysis/siren-score.js";
import { readStimulus } from "../io/tiff.js";
import { loadNative } from "../kernels/native/addon.js";
import { nativeBackend } from "../kernels/native/backend.js";
import { WasmEngine } from "../kernels/wasm/engine.js";
import { wasmSirenKernels } from "../kernels/wasm/siren.js";
import { downsampleVideo, fitSirenToVideo } from "../model/siren-fit.js";
import { SirenLearner, saveSirenLearner } from "../model/siren-learner.js";
import { initSiren } from "../model/siren.js";
import { saveFigure } from "../plot/save.js";
import { sirenLossCurve, sirenScatter } from "../plot/siren-fit.js";
import { PACKAGE_ROOT } from "./paths.js";

export interface SirenFitCommandOptions {
  out: string;
  video?: string;
  iterations: number;
  lr: number;
  batch: number;
  /** Block-mean factor of the video (1: 32×32, 2: 16×16, 4: 8×8). */
  downsample: number;
  hidden: number;
  layers: number;
  omega0: number;
  nFrames: number;
  seed: number;
  threads?: number;
  quiet?: boolean;
}

export async function sirenFitCommand(opts: SirenFitCommandOptions): Promise<void> {
  const log = (s: string) => {
    if (!opts.quiet) process.stderr.write(`${s}\n`);
  };
  const videoPath = opts.video ?? join(PACKAGE_ROOT, "data", "video_bisons_32.tif");
  const video = downsampleVideo(readStimulus(videoPath), opts.downsample);
  const shape = {
    inFeatures: 3,
    hiddenFeatures: opts.hidden,
    hiddenLayers: opts.layers,
    outFeatures: 1,
    outermostLinear: true,
    omega0: opts.omega0,
  };
  const siren = initSiren(shape, opts.seed);
  // Native kernels when the addon is built, else WebAssembly.
  const native = "why" in loadNative() ? undefined : nativeBackend({ threads: opts.threads });
  const engine = native ? undefined : await WasmEngine.create({ threads: opts.threads });
  const kernels = native?.siren ?? wasmSirenKernels(engine!);
  try {
    const learner = new SirenLearner(siren, video.width, opts.nFrames, opts.lr, kernels);
    log(
      `siren-fit: ${video.width}×${video.width} pixels, hidden ${opts.hidden} × ${opts.layers + 1} sine layers, ${opts.iterations} iterations, lr ${opts.lr}, kernels ${kernels.name}`,
    );
    const fit = fitSirenToVideo(learner, video, {
      iterations: opts.iterations,
      batch: opts.batch,
      seed: opts.seed,
      logEvery: Math.max(1, Math.round(opts.iterations / 100)),
      onLog: (it, loss) => {
        if (it % Math.max(1, Math.round(opts.iterations / 10)) === 0 || it === opts.iterations)
          log(`  iteration ${it}: MSE ${loss.toExponential(3)}`);
      },
    });
    const score = omegaScore(siren, video, opts.nFrames, 100, (t) => learner.field(t));
    const perFrame = score.perFrame.map((f) => f.r2);
    const models = join(opts.out, "models");
    const results = join(opts.out, "results");
    mkdirSync(models, { recursive: true });
    mkdirSync(results, { recursive: true });
    saveSirenLearner(join(models, "siren.safetensors"), learner, {
      omega0: String(opts.omega0),
      width: String(video.width),
      n_frames: String(opts.nFrames),
    });
    const summary = {
      video: videoPath,
      width: video.width,
      shape,
      params: siren.layers.reduce((n, l) => n + l.weight.length + l.bias.length, 0),
      iterations: opts.iterations,
      batch: opts.batch,
      lr: opts.lr,
      n_frames: opts.nFrames,
      seed: opts.seed,
      loss: "MSE of Ω* against Ω over the batch's pixels",
      kernels: kernels.name,
      seconds: Math.round(fit.seconds * 10) / 10,
      ms_per_iteration: Math.round((fit.seconds / opts.iterations) * 1e5) / 100,
      final_loss: fit.curve[fit.curve.length - 1]?.loss,
      omega_r2: score.r2,
      omega_slope: score.slope,
      omega_scale: score.scale,
      per_frame_r2: [Math.min(...perFrame), Math.max(...perFrame)],
    };
    writeFileSync(join(results, "siren_fit.json"), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(join(results, "loss.csv"), `iteration,loss\n${fit.curve.map((p) => `${p.iteration},${p.loss}`).join("\n")}\n`);
    const figures = join(opts.out, "figures");
    await saveFigure(figures, "siren_loss", sirenLossCurve(fit.curve));
    await saveFigure(figures, "siren_scatter", sirenScatter(score.truth, score.learned, score.r2, score.slope));
    log(
      `siren-fit: Ω R² ${score.r2.toFixed(4)} (√ scale), slope ${score.slope.toFixed(3)}, ${summary.seconds} s (${summary.ms_per_iteration} ms/iteration); ${opts.out}`,
    );
  } finally {
    native?.close();
    await engine?.close();
  }
}
