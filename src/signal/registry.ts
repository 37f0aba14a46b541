/** The signal models by graph_model.signal_model_name. */
import { ConfigError, INERT_COEFFS } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { requireParams } from "../simulate/neurons.js";
import { pdeN2 } from "./pdeN2.js";
import { pdeN4 } from "./pdeN4.js";
import { pdeN5 } from "./pdeN5.js";
import type { SignalModel } from "./signal-model.js";

/** Implemented models. The paper's others (external inputs) are added here. */
export const SIGNAL_MODELS: Readonly<Record<string, SignalModel>> = { PDE_N2: pdeN2, PDE_N4: pdeN4, PDE_N5: pdeN5 };

/**
 * The signal model of a config, its simulation.params checked (one row of the model's parameter
 * names per type); "not implemented yet" (naming the file) for the other models.
 */
export function signalModel(config: Config, file: string): SignalModel {
  const name = config.graph_model.signal_model_name;
  const model = SIGNAL_MODELS[name];
  if (!model) {
    throw new ConfigError(
      `${file}: graph_model.signal_model_name: ${JSON.stringify(name)} is not implemented yet (available: ${Object.keys(SIGNAL_MODELS).join(", ")})`,
    );
  }
  requireParams(model, config.simulation, file);
  return model;
}

/**
 * Refuse a non-zero loss coefficient (training.coeff_*) that `model`'s training does not implement
 * (SignalModel.lossTerms) and the reference does not ignore (INERT_COEFFS): "not implemented yet".
 * training.first_coeff_L1 (the W L1 coefficient of the first n_epochs_init epochs) counts as
 * coeff_W_L1.
 */
export function requireLossTerms(model: SignalModel, config: Config, file: string): void {
  const implemented = new Set<string>(model.lossTerms);
  const t = config.training;
  for (const [k, v] of Object.entries(t)) {
    if (k.startsWith("coeff_") && v !== 0 && !implemented.has(k) && !INERT_COEFFS.has(k)) {
      throw new ConfigError(`${file}: training.${k} = ${v} (regulariser) is not implemented yet for ${model.name}`);
    }
  }
  if (t.first_coeff_L1 !== 0 && t.n_epochs_init > 0 && !implemented.has("coeff_W_L1")) {
    throw new ConfigError(
      `${file}: training.first_coeff_L1 = ${t.first_coeff_L1} (W L1 regulariser of the first n_epochs_init epochs) is not implemented yet for ${model.name}`,
    );
  }
}
