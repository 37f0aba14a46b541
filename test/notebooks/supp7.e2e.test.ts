/**
 * Supp Fig 7 at small scale: the same 100-neuron system trained at equal iterations on 10k down to
 * 1k frames. As in the paper (100k frames: R² 1.0 … 10k: 0.45), W is recovered from the most
 * frames and lost from the fewest; the summary overlays the R² histories.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDir } from "../helpers.js";
import { runSmall } from "./notebook.js";

describe("run supp7 --scale small", () => {
  const tmp = useTempDir();

  it("W R² falls with fewer frames; one figure overlays every run's training", async () => {
    const nb = await runSmall("supp7", tmp.root);
    const rows = nb.summary().rows;
    expect(rows.map((r) => r.label)).toEqual(["10k", "5k", "4k", "3k", "2k", "1k"]);
    const r2 = rows.map((r) => r.W_r2 as number);
    expect(r2[0]).toBeGreaterThan(0.99);
    expect(r2[5]).toBeLessThan(0.6);
    // The trend, robust to one run's noise: the three largest datasets beat the three smallest on average.
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(mean(r2.slice(0, 3))).toBeGreaterThan(mean(r2.slice(3)) + 0.1);
    expect(existsSync(join(tmp.root, "supp7-small", "figures", "supp7_W_r2_vs_iterations.svg"))).toBe(true);
    expect(existsSync(join(tmp.root, "supp7-small", "report.html"))).toBe(true);
  });
});
