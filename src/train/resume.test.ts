import { createHash } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../test/helpers.js";
import { loadConfig } from "../config/load.js";
import { trainingHashes } from "./resume.js";

const hashOf = (o: object) => createHash("sha256").update(JSON.stringify(o)).digest("hex").slice(0, 16);
const without = (o: object, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

describe("the training hash of a resume state", () => {
  const t = loadConfig(join(ROOT, "configs", "signal_fig_2.yaml")).config.training;
  const newer = ["first_epoch_learning_rate_scale", "first_epoch_learning_rate_W_scale", "later_epochs_learning_rate_W_scale"];

  it("leaves neural-gnn's keys out at their defaults, so that states saved before a key existed still resume", () => {
    const hashes = trainingHashes(t);
    expect(hashes[0]).toBe(hashOf(without(t, ["W_init", "first_epoch_batch_size", ...newer])));
    // What the versions that knew W_init and first_epoch_batch_size saved: every key but the newer ones.
    expect(hashes).toContain(hashOf(without(t, newer)));
    expect(hashes).toContain(hashOf(without(t, ["first_epoch_batch_size", ...newer])));
    // And the versions that knew the first four keys (later_epochs_learning_rate_W_scale came after).
    expect(hashes).toContain(hashOf(without(t, [newer[2]])));
  });

  it("keeps a key that is not at its default, and changes with every setting", () => {
    const fast = { ...t, W_init: "zeros" as const, first_epoch_batch_size: 16 };
    expect(trainingHashes(fast)[0]).toBe(hashOf(without(fast, newer)));
    const scaled = { ...t, first_epoch_learning_rate_scale: 4 };
    expect(trainingHashes(scaled)[0]).toBe(hashOf(without(scaled, ["W_init", "first_epoch_batch_size", newer[1], newer[2]])));
    const others = [fast, scaled, { ...t, learning_rate_W_start: 2e-3 }].flatMap(trainingHashes);
    for (const h of trainingHashes(t)) expect(others).not.toContain(h);
  });
});
