/**
 * End to end: two commands on one run folder at once (the second is refused, naming the first),
 * and a regenerated dataset setting aside what was derived from the old one.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, cli, useTempDir } from "./helpers.js";

/** configs/quick.yaml with 40 neurons and 2000 frames. */
function smallConfig(dir: string): string {
  const text = readFileSync(join(ROOT, "configs", "quick.yaml"), "utf8")
    .replace("n_neurons: 100", "n_neurons: 40")
    .replace("n_frames: 10000", "n_frames: 2000");
  const path = join(dir, "small.yaml");
  writeFileSync(path, text);
  return path;
}

describe("one command at a time on a run folder", () => {
  const tmp = useTempDir("ngnn-lock-");

  it("refuses a second train while one runs, naming its process; the first finishes unmixed", async () => {
    const config = smallConfig(tmp.root);
    const runs = join(tmp.root, "runs");
    expect(cli(["generate", config, "--runs", runs, "-q"]).status).toBe(0);
    const args = ["train", config, "--runs", runs, "--epochs", "2", "--iterations-per-epoch", "3000", "-q"];
    const first = spawn(process.execPath, [join(ROOT, "bin", "neural-gnn.js"), ...args]);
    const done = new Promise<number>((resolve) => first.on("close", (code) => resolve(code ?? -1)));
    const lock = join(runs, "small", ".lock");
    for (let k = 0; k < 200 && !existsSync(lock); k++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(lock)).toBe(true);
    const second = cli([...args, "--force", "--seed", "3"]);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`small is in use by process ${first.pid} \\(neural-gnn train .*small\\.yaml`));
    expect(await done).toBe(0);
    const summary = JSON.parse(readFileSync(join(runs, "small", "models", "training.json"), "utf8"));
    expect(summary.seed).toBe(16);
    const lines = readFileSync(join(runs, "small", "models", "metrics.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(lines).toHaveLength(2 * 21);
    expect(existsSync(lock)).toBe(false);

    // Data changed behind the training's back (here: its last value): plot refuses to score against it.
    const activity = join(runs, "small", "data", "activity.npy");
    const original = readFileSync(activity);
    const changed = Buffer.from(original);
    changed[changed.length - 1] ^= 1;
    writeFileSync(activity, changed);
    const stale = cli(["plot", config, "--runs", runs, "-q"]);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/data: the data changed after the training in .*models \(regenerated\?\)/);
    writeFileSync(activity, original);

    // A regenerated, different dataset moves the training aside; plot then has nothing to evaluate.
    const regen = cli(["generate", config, "--runs", runs, "--force", "--set", "simulation.seed=7"]);
    expect(regen.status, regen.stderr).toBe(0);
    expect(regen.stderr).toMatch(
      /the dataset changed: the training, results and figures of the old one were moved to .*superseded/,
    );
    const aside = readdirSync(join(runs, "small", "superseded"));
    expect(aside).toHaveLength(1);
    expect(existsSync(join(runs, "small", "superseded", aside[0], "models", "training.json"))).toBe(true);
    const plot = cli(["plot", config, "--runs", runs, "--set", "simulation.seed=7"]);
    expect(plot.status).toBe(1);
    expect(plot.stderr).toMatch(/no training in .*models/);
  });
});
