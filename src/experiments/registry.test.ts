import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../test/helpers.js";
import { FIGURES } from "../run-folder/figures.js";
import { EXPERIMENTS, caseOf, experimentById, experimentOfConfig } from "./registry.js";

describe("experiments", () => {
  it("have unique ids and configs that ship in configs/", () => {
    expect(new Set(EXPERIMENTS.map((e) => e.id)).size).toBe(EXPERIMENTS.length);
    for (const e of EXPERIMENTS) for (const c of e.configs) expect(existsSync(join(ROOT, "configs", `${c}.yaml`)), c).toBe(true);
  });

  it("report sections name known figures", () => {
    for (const e of EXPERIMENTS) for (const s of e.sections) for (const f of s.figures) expect(Object.keys(FIGURES)).toContain(f);
  });

  it("maps configs and --new-params values to their experiment and case", () => {
    const fig2 = experimentById("fig2")!;
    expect(experimentOfConfig("signal_fig_2")).toBe(fig2);
    expect(experimentOfConfig("quick")).toBe(fig2);
    expect(caseOf(fig2, "0.25,10,20,30,40")).toBe("supp5");
    expect(caseOf(fig2, "0.5,60,40,0,0")).toBe("supp6");
    expect(caseOf(fig2, "0.5,50,50,0,0")).toBeUndefined();
  });
});
