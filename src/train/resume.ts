/**
 * The training state saved in models/resume.safetensors at every recording and on interrupt:
 * parameters, Adam's moments (tensors) and everything else that decides the numbers (JSON
 * metadata), so that a resumed run continues bit for bit as an uninterrupted one.
 */
import { createHash } from "node:crypto";
import type { Config } from "../config/schema.js";
import { TRAINING_DEFAULTS, TRAINING_EXTENSION_KEYS } from "../config/training-schema.js";
import type { RngState } from "../core/rng.js";
import { readSafetensors, writeSafetensors } from "../io/safetensors.js";
import type { Adam, LearningRates } from "../model/adam.js";
import type { ParamSet } from "../model/params.js";
import type { ClusteringRecord, Schedule } from "../run-folder/files.js";

export interface ResumeState {
  epoch: number;
  /** Next iteration of `epoch` to run. */
  iteration: number;
  totalIterations: number;
  seconds: number;
  /** Sum of the prediction losses of the epoch so far. */
  epochPredSum: number;
  /** Sum and count of the total losses since the last recording. */
  sinceLossSum: number;
  sinceCount: number;
  rates: LearningRates;
  adamT: number;
  rng: RngState;
  schedule: Schedule;
  N: number;
  seed: number;
  /** Fingerprint of the dataset (resume refuses other data); absent in states of older versions. */
  dataFingerprint?: string;
  /** Hash of the config's training section (resume refuses other settings); absent in older states. */
  trainingHash?: string;
  clustering: ClusteringRecord[];
  epochLosses: number[];
}

/**
 * The hashes of the training section that a run with these settings may have saved: [0] is this
 * version's (extension keys at their defaults left out), [k] that of the versions that knew the
 * first k extension keys and hashed them always.
 */
export function trainingHashes(training: Config["training"]): string[] {
  const defaults = TRAINING_DEFAULTS as Record<string, unknown>;
  const all = training as unknown as Record<string, unknown>;
  return TRAINING_EXTENSION_KEYS.map((_, k) => {
    const omit = new Set<string>(TRAINING_EXTENSION_KEYS.filter((key, i) => i >= k && all[key] === defaults[key]));
    const kept = Object.fromEntries(Object.entries(all).filter(([key]) => !omit.has(key)));
    return createHash("sha256").update(JSON.stringify(kept)).digest("hex").slice(0, 16);
  });
}

/** The tensor sets of the resume state, with their name prefixes: parameters and Adam's moments. */
function resumeSets(p: ParamSet, adam: Adam): [string, ParamSet][] {
  return [
    ["", p],
    ["adam.m.", adam.m],
    ["adam.v.", adam.v],
  ];
}

export function saveResume(path: string, p: ParamSet, adam: Adam, st: ResumeState): void {
  const tensors = resumeSets(p, adam).flatMap(([prefix, set]) =>
    set.specs.map((s) => ({ name: prefix + s.name, shape: s.shape, data: Float32Array.from(set.tensor(s.name)) })),
  );
  writeSafetensors(path, tensors, { format: "neural-gnn-resume", state: JSON.stringify(st) });
}

/** Learning rates as older versions named them (lr = psi*, update = phi*, embedding = a). */
interface OldRates {
  W: number;
  lr: number;
  update: number;
  embedding: number;
}

/** Load the state into `p` and `adam`'s moments; returns the rest. */
export function loadResume(path: string, p: ParamSet, adam: Adam): ResumeState {
  const { tensors, metadata } = readSafetensors(path);
  if (metadata.format !== "neural-gnn-resume" || !metadata.state) throw new Error(`${path}: not a neural-gnn resume state`);
  const st = JSON.parse(metadata.state) as ResumeState;
  const old = st.rates as unknown as Partial<OldRates>;
  if (old.lr !== undefined && old.update !== undefined && old.embedding !== undefined) {
    st.rates = { W: st.rates.W, a: old.embedding, phi: old.update, psi: old.lr };
  }
  for (const [prefix, set] of resumeSets(p, adam)) {
    for (const s of set.specs) {
      const t = tensors.get(prefix + s.name);
      if (!t || t.data.length !== s.size) throw new Error(`${path}: tensor "${prefix}${s.name}" missing or of the wrong size`);
      set.tensor(s.name).set(t.data);
    }
  }
  return st;
}
