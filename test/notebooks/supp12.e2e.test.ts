/**
 * Supp Fig 12 at small scale: 32 neuron types (5 neurons each). W is recovered and the embeddings
 * separate the 32 types (the paper: 32 tight dots in 4 columns); the clustering at the config's
 * distance 0.05 merges neighbours, the cut at K = 32 clusters (ours) finds the types.
 */
import { describe, expect, it } from "vitest";
import { useTempDir } from "../helpers.js";
import { runSmall } from "./notebook.js";

describe("run supp12 --scale small", () => {
  const tmp = useTempDir();

  it("recovers W and separates 32 types", async () => {
    const nb = await runSmall("supp12", tmp.root);
    const m = nb.results("supp12_32_types");
    expect(m.connectivity?.r2).toBeGreaterThan(0.97);
    expect(m.clustering?.threshold).toBe(0.05);
    expect(m.clustering?.n_clusters).toBeGreaterThan(8);
    expect(m.clustering?.k_fixed).toBe(32);
    expect(m.clustering?.accuracy_k_fixed).toBeGreaterThan(0.85);
  });
});
