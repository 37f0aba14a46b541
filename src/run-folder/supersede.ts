/**
 * When a run's dataset is replaced (generate --force), what was derived from the old data — the
 * training (models/), the results, the figures, run.json and the report — is moved to
 * `superseded/<time>/`, never deleted and never mixed with the new data's results.
 */
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { basename, join } from "node:path";
import type { RunLayout } from "./layout.js";

/** Move the outputs derived from the data into superseded/<time>/; returns that folder, or undefined if there were none. */
export function setAsideDerived(l: RunLayout, now = new Date()): string | undefined {
  const derived = [l.models, l.results, l.figures, l.run, l.report].filter((p) => existsSync(p));
  if (derived.length === 0) return undefined;
  const dest = join(l.root, "superseded", now.toISOString().replace(/[:.]/g, "-"));
  mkdirSync(dest, { recursive: true });
  for (const p of derived) renameSync(p, join(dest, basename(p)));
  return dest;
}
