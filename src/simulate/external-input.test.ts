/**
 * Figure 3's external input: the paper config loads (claude: ignored, coeff_update_diff inert,
 * learn_external_input trainable), Ω follows the video mapping (0 in the warm-up, 1 for the
 * non-input neurons, the 16×16 block mean of the small form), bad configs fail naming file and key,
 * and generate stores Ω in external_input.npy, which the training data reader checks.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDir } from "../../test/helpers.js";
import { requireImplemented, requireTrainable } from "../config/load.js";
import { loadConfig } from "../config/load.js";
import { readNpy, writeNpy } from "../io/npy.js";
import { readStimulus } from "../io/tiff.js";
import { requireLossTerms, signalModel } from "../signal/registry.js";
import { loadTrainingData } from "../train/data.js";
import { DATASET_FILES } from "./dataset.js";
import { downsampleVideo, externalInputOf } from "./external-input.js";
import { generate } from "./generate.js";
import { visualInput } from "./visual-input.js";

const CONFIGS = join(import.meta.dirname, "..", "..", "configs");
const FIG3 = join(CONFIGS, "signal_fig_3.yaml");
const SMALL = join(CONFIGS, "small", "fig3_known_input.yaml");
const VIDEO = join(CONFIGS, "..", "data", "video_bisons_32.tif");

describe("Figure 3's external input", () => {
  const tmp = useTempDir();

  it("configs/signal_fig_3.yaml loads: claude ignored, update_diff inert, learn_external_input trainable", () => {
    const loaded = loadConfig(FIG3);
    const { config } = loaded;
    expect(config.claude?.n_iter_block).toBe(1024);
    expect(config.graph_model.n_layers).toBe(5);
    expect(signalModel(config, loaded.file).modelShape(2048, config.graph_model).psi.sizes).toEqual([3, 64, 64, 64, 64, 1]);
    expect(() => requireImplemented(config, loaded.file)).not.toThrow();
    expect(() => requireLossTerms(signalModel(config, loaded.file), config, loaded.file)).not.toThrow();
    expect(config.training.learn_external_input).toBe(true);
    expect(() => requireTrainable(config, loaded.file)).not.toThrow();
    const known = loadConfig(FIG3, ["training.learn_external_input=false"]);
    expect(() => requireTrainable(known.config, known.file)).not.toThrow();
  });

  it("Ω: 0 in the warm-up, the video's rot90(page, 3) pixels for the inputs, 1 for the others", () => {
    const input = externalInputOf(loadConfig(FIG3))!;
    expect([input.nInput, input.width]).toEqual([1024, 32]);
    const out = new Float32Array(2048);
    input.fill(-1, out);
    expect(out.every((v) => v === 0)).toBe(true);
    input.fill(25000, out);
    const video = readStimulus(VIDEO);
    expect(out.subarray(0, 1024)).toEqual(visualInput(video, 25000, 50000));
    // Neuron p = 32c + (31 − r) sees row r, column c of page ⌊256·k/n_frames⌋ = 128.
    expect(out[32 * 5 + 31 - 7]).toBe(video.data[(128 * 32 + 7) * 32 + 5]);
    expect(out.subarray(1024).every((v) => v === 1)).toBe(true);
  });

  it("the small form's 16×16 grid is the 2×2 block mean of the video", () => {
    const input = externalInputOf(loadConfig(SMALL))!;
    expect([input.nInput, input.width]).toEqual([256, 16]);
    const video = readStimulus(VIDEO);
    const small = downsampleVideo(video, 16);
    const v = (t: number, r: number, c: number) => video.data[(t * 32 + r) * 32 + c];
    const mean = (v(3, 4, 6) + v(3, 4, 7) + v(3, 5, 6) + v(3, 5, 7)) / 4;
    expect(small.data[(3 * 16 + 2) * 16 + 3]).toBeCloseTo(mean, 6);
    const out = new Float32Array(512);
    input.fill(0, out);
    expect(out.subarray(0, 256)).toEqual(visualInput(small, 0, 10000));
  });

  it("refuses bad configs, naming the file and the key", () => {
    const bad = (sets: string[]) => () => externalInputOf(loadConfig(FIG3, sets));
    expect(bad(["simulation.n_input_neurons=1000"])).toThrowError(
      /signal_fig_3\.yaml: simulation\.n_input_neurons = 1000 but the video .* gives 32×32 = 1024 input pixels/,
    );
    expect(bad(["simulation.node_value_map=nowhere.tif"])).toThrowError(
      /simulation\.node_value_map: video not found: .*nowhere\.tif/,
    );
    expect(bad(["simulation.visual_input_width=5"])).toThrowError(/visual_input_width = 5 does not divide the video's width 32/);
    const corrupt = join(tmp.root, "corrupt.tif");
    writeFileSync(corrupt, "II*\0 not a tiff");
    expect(bad([`simulation.node_value_map=${corrupt}`])).toThrowError(/simulation\.node_value_map: .*corrupt\.tif/);
    const additive = loadConfig(FIG3, ["simulation.external_input_mode=additive"]);
    expect(() => requireImplemented(additive.config, additive.file)).toThrowError(
      /external_input_mode: "additive".*not implemented yet/,
    );
  });

  it("generate writes Ω [T, n_input] to external_input.npy; the training data reader checks its shape", async () => {
    const sets = [
      "simulation.n_neurons=64",
      "simulation.n_input_neurons=16",
      "simulation.visual_input_width=4",
      "simulation.n_frames=40",
      "simulation.start_frame=-10",
    ];
    const loaded = loadConfig(SMALL, sets);
    const outDir = join(tmp.root, "data");
    const r = await generate(loaded, { model: signalModel(loaded.config, loaded.file), outDir });
    expect(r.meta.external_input).toMatchObject({ type: "visual", mode: "multiplicative", n_input_neurons: 16 });
    const omega = readNpy(join(outDir, DATASET_FILES.externalInput));
    expect(omega.shape).toEqual([41, 16]);
    const expected = new Float32Array(64);
    externalInputOf(loaded)!.fill(17, expected);
    expect((omega.data as Float32Array).subarray(17 * 16, 18 * 16)).toEqual(expected.subarray(0, 16));
    const data = loadTrainingData(outDir);
    expect([data.nInput, data.omega?.length]).toEqual([16, 41 * 16]);
    writeNpy(join(outDir, DATASET_FILES.externalInput), new Float32Array(40 * 16), [40, 16]);
    expect(() => loadTrainingData(outDir)).toThrowError(/external_input\.npy: shape \(40, 16\) but .* needs \(41, 16\)/);
  });
});
