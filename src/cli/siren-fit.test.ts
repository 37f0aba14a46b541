import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, useTempDir } from "../../test/helpers.js";
import { readSiren } from "../model/siren.js";

const tmp = useTempDir("ngnn-siren-fit-");

describe("neural-gnn siren-fit", () => {
  it("fits a small SIREN to the 8×8 video and writes the checkpoint, results, loss curve and figures", () => {
    const out = join(tmp.fresh(), "fit");
    const r = cli([
      "siren-fit",
      "--out",
      out,
      "--downsample",
      "4",
      "--hidden",
      "32",
      "--layers",
      "2",
      "--iterations",
      "2000",
      "-q",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(out, "results", "siren_fit.json"), "utf8"));
    expect(res).toMatchObject({ width: 8, iterations: 2000, params: 2273 });
    expect(res.omega_r2).toBeGreaterThan(0.95);
    expect(readFileSync(join(out, "results", "loss.csv"), "utf8").split("\n")[0]).toBe("iteration,loss");
    for (const f of ["siren_loss.png", "siren_scatter.svg"]) expect(existsSync(join(out, "figures", f))).toBe(true);
    expect(readSiren(join(out, "models", "siren.safetensors"), 30).shape.hiddenFeatures).toBe(32);
  });

  it("rejects a bad option", () => {
    const r = cli(["siren-fit", "--lr", "-1"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/positive number/);
  });
});
