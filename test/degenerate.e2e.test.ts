/**
 * End to end: degenerate data (constant activity) gets clear messages; the panels that can be
 * drawn are drawn and results/metrics.json is written.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeNpy } from "../src/io/npy.js";
import { ROOT, cli, useTempDir } from "./helpers.js";

describe("constant activity", () => {
  const tmp = useTempDir("ngnn-degenerate-");

  it("trains with a warning, and plot writes its metrics and the panels it can draw", () => {
    const config = join(tmp.root, "flat.yaml");
    writeFileSync(
      config,
      readFileSync(join(ROOT, "configs", "quick.yaml"), "utf8")
        .replace("n_neurons: 100", "n_neurons: 40")
        .replace("n_frames: 10000", "n_frames: 2000"),
    );
    const runs = join(tmp.root, "runs");
    expect(cli(["generate", config, "--runs", runs, "-q"]).status).toBe(0);
    const data = join(runs, "flat", "data");
    const zeros = new Float32Array(2001 * 40);
    writeNpy(join(data, "activity.npy"), zeros, [2001, 40]);
    writeNpy(join(data, "derivative.npy"), zeros, [2001, 40]);
    const train = cli(["train", config, "--runs", runs, "--epochs", "1", "--iterations-per-epoch", "100"]);
    expect(train.status, train.stderr).toBe(0);
    expect(train.stderr).toMatch(/warning: .*the activity is constant/);
    const plot = cli(["plot", config, "--runs", runs]);
    expect(plot.status, plot.stderr).toBe(0);
    expect(plot.stderr).not.toMatch(/panicked|Cannot read properties/);
    const metrics = JSON.parse(readFileSync(join(runs, "flat", "results", "metrics.json"), "utf8"));
    expect(metrics.clustering.n_clusters).toBeGreaterThan(0);
    expect(existsSync(join(runs, "flat", "figures", "fig2f_embeddings.svg"))).toBe(true);
    for (const w of metrics.warnings ?? []) expect(w).toMatch(/^\w+ not drawn: /);
  });
});
