import { afterAll, describe, expect, it } from "vitest";
import { nativeOrWarn, testOmega, useEngines } from "../../test/helpers.js";
import { Rng } from "../core/rng.js";
import { nativeIsas } from "../kernels/native/addon.js";
import { drawConnectivity } from "./connectivity.js";
import { openPdeN2Engine } from "./engine.js";
import { NativePdeN2Integrator } from "./integrate-native.js";
import { PdeN2Integrator } from "./integrate.js";
import { type NeuronParams, neuronParams, neuronTypes } from "./neurons.js";
import { pdeN4NeuronParams } from "./pdeN4.js";

const loaded = nativeOrWarn();
const PARAMS = [
  [10, 1, 1],
  [10, 2, 1],
  [10, 1, 2],
  [10, 2, 2],
];

/** Supp Fig 13's [a, b, g, s, w, h], with a drive and thresholds in two types. */
const PARAMS_N4 = [
  [1, 0, 10, 1, 1, 0],
  [1, 0.5, 10, 2, 2, 0.3],
  [2, 0, 10, 1, 4, -1],
  [2, 0, 10, 2, 8, 0],
];

type Stepper = Pick<PdeN2Integrator, "N" | "state" | "framesX" | "framesY" | "noiseBuffer" | "omegaBuffer" | "run">;

/** `steps` recorded steps of a random N-neuron system (process noise when `noisy`), in chunks. */
function simulate(
  make: (W: Float32Array, p: NeuronParams, x0: Float32Array) => Stepper,
  N: number,
  steps: number,
  chunk: number,
  noisy: boolean,
  n4 = false,
  omega = false,
) {
  const W = drawConnectivity("Lorentz", N, 3);
  const types = neuronTypes(N, 4);
  const p = n4 ? pdeN4NeuronParams(types, PARAMS_N4) : neuronParams(types, PARAMS);
  const x0 = new Float32Array(N);
  new Rng(3, 9).fillNormal(x0, 5);
  const integ = make(W, p, x0);
  const noise = new Rng(3, 10);
  const X = new Float32Array(steps * N);
  const Y = new Float32Array(steps * N);
  if (omega) integ.omegaBuffer(5).fill(0);
  integ.run(5, false);
  for (let f = 0; f < steps; f += chunk) {
    const n = Math.min(chunk, steps - f);
    if (noisy) noise.fillNormal(integ.noiseBuffer(n));
    if (omega) {
      const O = integ.omegaBuffer(n);
      for (let k = 0; k < n; k++) for (let i = 0; i < N; i++) O[k * N + i] = testOmega(f + k, i);
    }
    integ.run(n, true);
    X.set(integ.framesX(n), f * N);
    Y.set(integ.framesY(n), f * N);
  }
  return { X, Y, x: Float32Array.from(integ.state()) };
}

const ISAS = nativeIsas();

// Every kernel set the CPU runs (the generated data are the same bytes on every machine).
describe.skipIf(!("addon" in loaded)).each(ISAS)("PDE_N2 on the native addon, %s kernels", (isa) => {
  const engines = useEngines();
  const handles: object[] = [];
  const addon = "addon" in loaded ? loaded.addon : undefined!;
  /** A native integrator on `threads` threads, every step split over all of them. */
  const native = (threads: number, noise: number, omega = false) => {
    const h = addon.create(threads, isa, true, true).handle;
    handles.push(h);
    return (W: Float32Array, p: NeuronParams, x0: Float32Array) =>
      new NativePdeN2Integrator(addon, h, W, p, x0, 64, 0.01, noise, omega);
  };
  afterAll(() => {
    for (const h of handles) addon.close(h);
  });

  it.each([
    [64, 0],
    [60, 0.25],
    [203, 0],
  ])("gives the WebAssembly kernel's numbers bit for bit (N = %i, noise %s), for 1, 2 and 3 threads", (N, noise) => {
    const wasm = simulate((W, p, x0) => new PdeN2Integrator(engines.e2, W, p, x0, 64, 0.01, noise), N, 150, 64, noise > 0);
    for (const t of [1, 2, 3]) {
      const nat = simulate(native(t, noise), N, 150, t === 2 ? 17 : 64, noise > 0);
      expect(nat.X).toEqual(wasm.X);
      expect(nat.Y).toEqual(wasm.Y);
      expect(nat.x).toEqual(wasm.x);
    }
  });

  it.each([
    [64, 0],
    [203, 0.25],
  ])("PDE_N4: gives the WebAssembly kernel's numbers bit for bit (N = %i, noise %s), for 1 and 3 threads", (N, noise) => {
    const wasm = simulate((W, p, x0) => new PdeN2Integrator(engines.e2, W, p, x0, 64, 0.01, noise), N, 150, 64, noise > 0, true);
    for (const t of [1, 3]) {
      const nat = simulate(native(t, noise), N, 150, t === 3 ? 17 : 64, noise > 0, true);
      expect(nat.X).toEqual(wasm.X);
      expect(nat.Y).toEqual(wasm.Y);
      expect(nat.x).toEqual(wasm.x);
    }
  });

  it.each([
    [64, 0],
    [203, 0.25],
  ])("PDE_N4 with an external input Ω: the WebAssembly kernel's numbers bit for bit (N = %i, noise %s)", (N, noise) => {
    const make = (W: Float32Array, p: NeuronParams, x0: Float32Array) =>
      new PdeN2Integrator(engines.e2, W, p, x0, 64, 0.01, noise, true);
    const wasm = simulate(make, N, 150, 64, noise > 0, true, true);
    for (const t of [1, 3]) {
      const nat = simulate(native(t, noise, true), N, 150, t === 3 ? 17 : 64, noise > 0, true, true);
      expect(nat.X).toEqual(wasm.X);
      expect(nat.Y).toEqual(wasm.Y);
      expect(nat.x).toEqual(wasm.x);
    }
  });
});

describe.skipIf(!("addon" in loaded))("the simulation engine", () => {
  it("is what generate uses for N a multiple of 4, and the WebAssembly engine otherwise", async () => {
    const a = await openPdeN2Engine(64, 2);
    const b = await openPdeN2Engine(62, 2);
    expect([a.name, b.name]).toEqual(["native-2t", "wasm-2t"]);
    await a.close();
    await b.close();
  });
});
