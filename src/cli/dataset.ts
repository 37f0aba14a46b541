/** The dataset folder as the commands see it: where it is relative to a run, and its fingerprint. */
import { isAbsolute, relative } from "node:path";
import { folderFingerprint } from "../io/fingerprint.js";
import { DATASET_FILES } from "../simulate/dataset.js";

/** Fingerprint of a dataset folder's files (training.json and the resume state record it). */
export function datasetFingerprint(dir: string): string {
  return folderFingerprint(dir, Object.values(DATASET_FILES));
}

/** `dataDir` as training.json stores it: relative to the run folder, absolute when it is not inside it. */
export function dataPathFor(runRoot: string, dataDir: string): string {
  const rel = relative(runRoot, dataDir);
  return rel.startsWith("..") || isAbsolute(rel) ? dataDir : rel;
}
