#!/usr/bin/env node
// Benchmarks, one JSON line per measurement:
//   npm run bench -- [simulate] [generate] [step] [convergence] [siren] [--threads N] [--profile]
//   siren: the SIREN Ω* (Figure 3: hidden 128, 5 hidden layers) forward, backward and Adam step for P = 1024 and 256
//     points, one line per kernel set, thread count and P;
//   step: one line per model (PDE_N2, PDE_N4, PDE_N5, fig3, fig3_learned), backend and thread count; --iterations N
//     caps its steps; --model picks one (fig3: PDE_N4 with the external input Ω and a 5-layer psi*, N = 2048, B = 1;
//     fig3_learned: the same with Ω* of the 1024 input neurons from the SIREN, its backward pass and Adam step);
//     --neurons N (default 1000) sets PDE_N5's network size; --checkpoint FILE --data DIR (PDE_N2): the step
//     from a trained model (a Figure 2 checkpoint) on random frames of its data, as in training (with fresh
//     weights ~half of the MLPs' ReLUs are on, in a trained model fewer: the sparse kernels skip the others);
//     --isa avx512,avx2 times these native kernel sets (default: the best this CPU runs), `isa` in each row
//     (siren too);
//   --profile: the step's time per backend op, one more line per backend and thread count;
//   convergence options: --recipes paper,fast  --iterations N (cap, default 125000)  --data DIR
//     --config FILE (default configs/signal_fig_2.yaml; --data must then hold that config's data)
//     --set section.key=value (repeatable, after the recipe's overrides)  --stop-at R² (default 0.999)
// Uses the built package (dist/, build/kernels.wasm): run `npm run build` first.
import { benchConvergence } from "./convergence.js";
import { args, option, optionAll } from "./options.js";
import { benchGenerate, benchSimulate } from "./simulate.js";
import { benchSiren } from "./siren.js";
import { benchStep } from "./step.js";

const which = args.filter((a) => !a.startsWith("--"));
const optionValues = new Set(
  [
    "--threads",
    "--recipes",
    "--iterations",
    "--data",
    "--config",
    "--batch",
    "--loss",
    "--model",
    "--neurons",
    "--stop-at",
    "--checkpoint",
    "--isa",
  ]
    .map(option)
    .filter(Boolean)
    .concat(optionAll("--set")),
);
const benches = {
  simulate: benchSimulate,
  generate: benchGenerate,
  step: benchStep,
  convergence: benchConvergence,
  siren: benchSiren,
};
const selected = which.length ? which.filter((w) => !optionValues.has(w)) : ["simulate"];
for (const name of selected) {
  if (!benches[name]) {
    console.error(`unknown bench "${name}" (known: ${Object.keys(benches).join(", ")})`);
    process.exit(2);
  }
  await benches[name]();
}
