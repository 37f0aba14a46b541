/** The trainer's Ω source: the dataset's rows for the input neurons, 1 for the others (a learned Ω*: external-input-train.test.ts). */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../test/helpers.js";
import { loadConfig } from "../config/load.js";
import type { TrainingData } from "./data.js";
import { omegaSourceOf } from "./external-input.js";

const SMALL = join(ROOT, "configs", "small", "fig3_known_input.yaml");

/** A dataset of N = 5 neurons, 3 inputs, R = 4 frames with Ω[k, i] = 10k + i. */
function data(withOmega = true): TrainingData {
  const omega = Float32Array.from({ length: 4 * 3 }, (_, n) => 10 * Math.floor(n / 3) + (n % 3));
  return { dir: "/d", N: 5, ...(withOmega ? { omega, nInput: 3 } : {}) } as unknown as TrainingData;
}

describe("the trainer's external input", () => {
  it("fills Ω [B, N] from the dataset's rows of frames ks, 1 for the non-input neurons", () => {
    const { config } = loadConfig(SMALL);
    const source = omegaSourceOf(config, data(), "f.yaml")!;
    const out = new Float32Array(2 * 5).fill(-1);
    source.fill([2, 0], out);
    expect(Array.from(out)).toEqual([20, 21, 22, 1, 1, 0, 1, 2, 1, 1]);
    expect(source.learn).toBeUndefined();
  });

  it("is absent without an external input; refuses a dataset without Ω", () => {
    const none = loadConfig(SMALL, ["simulation.external_input_type=none"]).config;
    expect(omegaSourceOf(none, data(), "f.yaml")).toBeUndefined();
    const { config } = loadConfig(SMALL);
    expect(() => omegaSourceOf(config, data(false), "f.yaml")).toThrowError(
      /f\.yaml: simulation\.external_input_type is "visual" but the dataset \/d has no external input/,
    );
  });
});
