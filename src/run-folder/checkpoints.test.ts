import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { finalCheckpoint, listCheckpoints, montageColumns } from "./checkpoints.js";

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
  for (const n of names) writeFileSync(join(dir, `${n}.safetensors`), "");
  writeFileSync(join(dir, "resume.safetensors"), "");

  it("lists checkpoints in training order with true iteration counts", () => {
    const list = listCheckpoints(dir, 10);
    expect(list.map((c) => c.name.replace(".safetensors", ""))).toEqual(names);
    expect(list.map((c) => c.totalIterations)).toEqual([1, 5, 10, 10, 11, 15, 20, 20]);
  });

  it("takes the latest intra-epoch checkpoint as final, and the montage columns end with it", () => {
    const list = listCheckpoints(dir, 10);
    expect(finalCheckpoint(list)?.name).toBe("epoch_1_iter_9.safetensors");
    const cols = montageColumns(list, 4);
    expect(cols.map((c) => c.totalIterations)).toEqual([1, 5, 10, 20]);
  });
});
