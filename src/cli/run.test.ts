import { describe, expect, it } from "vitest";
import { listExperiments, runCommand } from "./run.js";

describe("run targets", () => {
  it("lists the experiments, one line each with their configs", () => {
    const lines = listExperiments().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatch(/^fig2 +Figure 2 .*\[signal_fig_2\]$/);
  });

  it("refuses a target that is neither a config file nor an experiment, naming the experiments", async () => {
    await expect(runCommand("supp99", { runs: "/nonexistent" })).rejects.toThrowError(
      /supp99: no such config file or experiment \(experiments: fig2\)/,
    );
  });
});
