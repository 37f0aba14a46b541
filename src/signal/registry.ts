/** The signal models by graph_model.signal_model_name. */
import { ConfigError } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { pdeN2 } from "./pdeN2.js";
import type { SignalModel } from "./signal-model.js";

/** Implemented models. The paper's others (PDE_N4, PDE_N5, external inputs) are added here. */
export const SIGNAL_MODELS: Readonly<Record<string, SignalModel>> = { PDE_N2: pdeN2 };

/** The signal model of a config; "not implemented yet" (naming the file) for the others. */
export function signalModel(config: Config, file: string): SignalModel {
  const name = config.graph_model.signal_model_name;
  const model = SIGNAL_MODELS[name];
  if (!model) {
    throw new ConfigError(
      `${file}: graph_model.signal_model_name: ${JSON.stringify(name)} is not implemented yet (available: ${Object.keys(SIGNAL_MODELS).join(", ")})`,
    );
  }
  return model;
}
