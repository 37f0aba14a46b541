/**
 * Figure 3 at small scale, known input (configs/small/fig3_known_input.yaml, a variant of the fig3
 * experiment, run by path; `run fig3 --scale small` learns Ω*: fig3-learned.e2e.test.ts): 512 neurons, the
 * first 256 see the bison film on a 16×16 grid, multiplying their messages; noise 1, uncoupled
 * warm-up. With the true Ω the GNN recovers W and the 4 transfer widths. Measured (one run, 80,000
 * iterations; generate 5 s, train 183 s, plot 9 s; this test took 5.2 min with other work on the 2
 * cores): corrected W R² 0.9945, slope 0.953; psi* widths 0.99 / 1.96 / 4.01 / 7.97; psi* over ψ̄:
 * RMSE by type 0.010 / 0.014 / 0.007 / 0.042. The fourth epoch matters: after 3 epochs (60,000
 * iterations) R² is 0.968, slope 0.901. Run by path (after fig3's small form became the learned
 * input) it passed again in 5.1 min.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readResults } from "../../src/run-folder/files.js";
import { runPaths } from "../../src/run-folder/layout.js";
import { ROOT, cliAsync, useTempDir } from "../helpers.js";

describe("run configs/small/fig3_known_input.yaml", () => {
  const tmp = useTempDir();

  it("recovers W and the 4 transfer widths with the multiplicative input Ω given", async () => {
    const r = await cliAsync(["run", join(ROOT, "configs", "small", "fig3_known_input.yaml"), "--runs", tmp.root]);
    if (r.status !== 0) console.error(r.stderr.slice(-4000));
    expect(r.status).toBe(0);
    const m = readResults(runPaths(tmp.root, "fig3_known_input").metrics);
    const c = m.connectivity;
    expect(c?.r2).toBeGreaterThan(0.98);
    expect(c?.slope).toBeGreaterThan(0.85);
    expect(c?.slope).toBeLessThan(1.1);
    const widths = (m.functions?.psi_width_by_type ?? []).map(Number);
    expect(widths).toHaveLength(4);
    [1, 2, 4, 8].forEach((w, t) => {
      expect(widths[t] / w, `type ${t}: width ${widths[t]}`).toBeGreaterThan(0.8);
      expect(widths[t] / w, `type ${t}: width ${widths[t]}`).toBeLessThan(1.25);
    });
    const figures = runPaths(tmp.root, "fig3_known_input").figures;
    for (const f of ["fig3a_external_input", "fig2e_W_learned_vs_true", "supp13h_psi"])
      expect(existsSync(join(figures, `${f}.svg`)), f).toBe(true);
  });
});
