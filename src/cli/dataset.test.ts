import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { dataPathFor, datasetFingerprint } from "./dataset.js";

describe("dataset as training.json records it", () => {
  it("stores the data path relative to the run folder when inside it, so a copied run folder reads its own copy", () => {
    expect(dataPathFor("/r/runs/quick", "/r/runs/quick/data")).toBe("data");
    expect(dataPathFor("/r/runs/quick", "/elsewhere/data")).toBe("/elsewhere/data");
    expect(dataPathFor("/r/runs/quick", "/r/runs/other/data")).toBe("/r/runs/other/data");
  });

  it("fingerprints the dataset's files: a changed header, size or last value changes it; other files do not", () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const body = Buffer.alloc(300_000, 7);
    writeFileSync(join(dir, "dataset.json"), '{"n_neurons": 10}');
    writeFileSync(join(dir, "activity.npy"), body);
    const a = datasetFingerprint(dir);
    writeFileSync(join(dir, "notes.txt"), "unrelated");
    expect(datasetFingerprint(dir)).toBe(a);
    body[body.length - 1] = 8;
    writeFileSync(join(dir, "activity.npy"), body);
    const b = datasetFingerprint(dir);
    expect(b).not.toBe(a);
    writeFileSync(join(dir, "dataset.json"), '{"n_neurons": 11}');
    expect(datasetFingerprint(dir)).not.toBe(b);
  });
});
