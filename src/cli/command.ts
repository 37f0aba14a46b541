/**
 * What every command on a run folder does first: load the config, find the run folder, and work
 * under its lock (run-folder/lock.ts).
 */
import { mkdirSync } from "node:fs";
import { type LoadedConfig, loadConfig } from "../config/load.js";
import { type RunLayout, runPaths } from "../run-folder/layout.js";
import { lockRunFolder } from "../run-folder/lock.js";
import { recipeOverrides } from "../train/recipes.js";
import { DEFAULT_CONFIG } from "./paths.js";
import { stderrLog } from "./progress.js";

/** Run `fn` holding the lock of run folder `root` (created if needed); `command` names the holder. */
export async function withRunLock<T>(root: string, command: string, log: (s: string) => void, fn: () => Promise<T>): Promise<T> {
  mkdirSync(root, { recursive: true });
  const lock = lockRunFolder(root, command, log);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** The command line as the lock records it. */
export function commandLine(): string {
  return ["neural-gnn", ...process.argv.slice(2)].join(" ");
}

export interface RunContext {
  loaded: LoadedConfig;
  paths: RunLayout;
  /** The config file as given (undefined: the embedded quick default), for messages. */
  configFile: string | undefined;
  log: (s: string) => void;
}

/** The overrides of a command: its recipe's (if any), then its own --set (which win). */
export function configOverrides(opts: { set?: string[]; recipe?: string }): string[] {
  return [...(opts.recipe ? recipeOverrides(opts.recipe) : []), ...(opts.set ?? [])];
}

/** Load `configFile` (or the quick default) with `opts.set`, then run `fn` under the lock of its run folder. */
export async function onRunFolder<T>(
  configFile: string | undefined,
  opts: { set?: string[]; recipe?: string; runs: string; quiet?: boolean },
  fn: (c: RunContext) => Promise<T>,
): Promise<T> {
  const log = stderrLog(opts.quiet);
  const loaded = loadConfig(configFile ?? DEFAULT_CONFIG, configOverrides(opts));
  const paths = runPaths(opts.runs, loaded.name);
  return withRunLock(paths.root, commandLine(), log, () => fn({ loaded, paths, configFile, log }));
}
