import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../test/helpers.js";
import { mergeJson } from "./trained-run.js";

describe("results/metrics.json merging", () => {
  it("keeps other commands' keys and merges objects one level down", () => {
    const path = join(tempDir(), "results", "metrics.json");
    mergeJson(path, { connectivity: { r2: 0.99 }, checkpoint: "a" });
    mergeJson(path, { rollout: { t400: { r2: 0.9 } }, generalisation: { supp5: { ff: 0.25 } } });
    mergeJson(path, { generalisation: { supp6: { ff: 0.5 } }, checkpoint: "b" });
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({
      connectivity: { r2: 0.99 },
      checkpoint: "b",
      rollout: { t400: { r2: 0.9 } },
      generalisation: { supp5: { ff: 0.25 }, supp6: { ff: 0.5 } },
    });
  });

  it("refuses to overwrite a malformed file, naming it", () => {
    const path = join(tempDir(), "metrics.json");
    writeFileSync(path, "{ broken");
    expect(() => mergeJson(path, { a: 1 })).toThrowError(/metrics\.json: malformed JSON/);
    expect(readFileSync(path, "utf8")).toBe("{ broken");
  });
});
