import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { finalCheckpoint, listCheckpoints, montageColumns } from "./checkpoints.js";
import { sirenFileName } from "./layout.js";

describe("checkpoint selection", () => {
  const dir = tempDir("ngnn-ckpt-");
  mkdirSync(dir, { recursive: true });
  const names = [
    "epoch_0_iter_0",
    "epoch_0_iter_4",
    "epoch_0_iter_9",
    "epoch_0_end",
    "epoch_1_iter_0",
    "epoch_1_iter_4",
    "epoch_1_iter_9",
    "epoch_1_end",
  ];
  for (const n of names) {
    writeFileSync(join(dir, `${n}.safetensors`), "");
    // A learned Ω* beside each checkpoint (Figure 3): not a checkpoint of its own.
    writeFileSync(join(dir, sirenFileName(`${n}.safetensors`)), "");
  }
  writeFileSync(join(dir, "resume.safetensors"), "");

  it("names the learned Ω* beside a GNN file", () => {
    expect(sirenFileName("/r/models/epoch_0_iter_4.safetensors")).toBe("/r/models/epoch_0_iter_4.siren.safetensors");
    expect(sirenFileName("resume.safetensors")).toBe("resume.siren.safetensors");
  });

  const schedule = { epochs: 2, iterationsPerEpoch: 10, batchSize: 8, plotFrequency: 5 };

  it("lists checkpoints in training order with true iteration counts", () => {
    const list = listCheckpoints(dir, schedule);
    expect(list.map((c) => c.name.replace(".safetensors", ""))).toEqual(names);
    expect(list.map((c) => c.totalIterations)).toEqual([1, 5, 10, 10, 11, 15, 20, 20]);
    // Epoch 0 of 12 iterations (first_epoch_batch_size), later epochs of 10.
    const longer = listCheckpoints(dir, { ...schedule, firstEpochIterations: 12 });
    expect(longer.map((c) => c.totalIterations)).toEqual([1, 5, 10, 12, 13, 17, 22, 22]);
  });

  it("takes the latest intra-epoch checkpoint as final, and the montage columns end with it", () => {
    const list = listCheckpoints(dir, schedule);
    expect(finalCheckpoint(list)?.name).toBe("epoch_1_iter_9.safetensors");
    const cols = montageColumns(list, 4);
    expect(cols.map((c) => c.totalIterations)).toEqual([1, 5, 10, 20]);
  });
});
