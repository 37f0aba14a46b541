/**
 * Supp Fig 10 at small scale: process noise of std 7.2 per Euler step widens the activity about
 * six-fold (std(x) ≈ 45 against 7.5) and the method still recovers W (paper: R² 1.0, slope 1.0).
 */
import { describe, expect, it } from "vitest";
import { readTrainingSummary } from "../../src/run-folder/files.js";
import { runPaths } from "../../src/run-folder/layout.js";
import { useTempDir } from "../helpers.js";
import { runSmall } from "./notebook.js";

describe("run supp10 --scale small", () => {
  const tmp = useTempDir();

  it("tolerates process noise: the noisy activity is wide and W is still recovered", async () => {
    const nb = await runSmall("supp10", tmp.root);
    const t = readTrainingSummary(runPaths(tmp.root, "supp10_noise").summary);
    // Without noise this network's std(x) is ≈ 7.5 (quick config); the spec measures 44.9 at N = 1000.
    expect(t?.x_std).toBeGreaterThan(30);
    const m = nb.results("supp10_noise");
    expect(m.connectivity?.r2).toBeGreaterThan(0.99);
    expect(m.connectivity?.slope).toBeGreaterThan(0.9);
    expect(m.connectivity?.slope).toBeLessThan(1.1);
  });
});
