import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, allclose, hasNumpy, python } from "../../test/helpers.js";
import { SafetensorsError, decodeSafetensors, encodeSafetensors, readSafetensors } from "../io/safetensors.js";
import {
  type SirenShape,
  initSiren,
  readSiren,
  sirenField,
  sirenForward,
  sirenFromTensors,
  sirenGrid,
  sirenOmega,
  sirenParamCount,
  sirenShape,
  sirenTensors,
} from "./siren.js";

/** The reference's trained Ω* of Figure 3 (its model_state_dict as safetensors). */
const FIXTURE = join(ROOT, "test", "fixtures", "fig3_siren.safetensors");

const FIG3: SirenShape = {
  inFeatures: 3,
  hiddenFeatures: 128,
  hiddenLayers: 5,
  outFeatures: 1,
  outermostLinear: true,
  omega0: 30,
};

describe("SIREN Ω*", () => {
  it("has Figure 3's shape from the config keys: 7 linear layers, 83,201 parameters", () => {
    const shape = sirenShape({
      input_size_nnr_f: 3,
      hidden_dim_nnr_f: 128,
      n_layers_nnr_f: 5,
      output_size_nnr_f: 1,
      outermost_linear_nnr_f: true,
      omega_f: 30,
    });
    expect(shape).toEqual(FIG3);
    expect(sirenParamCount(shape)).toBe(83_201);
    const s = initSiren(shape, 42);
    expect(s.layers.map((l) => [l.out, l.in, l.sine])).toEqual([
      [128, 3, true],
      ...Array(5).fill([128, 128, true]),
      [1, 128, false],
    ]);
  });

  it("loads the reference's checkpoint with its tensor names", () => {
    const s = readSiren(FIXTURE, 30);
    expect(s.shape).toEqual(FIG3);
    expect(sirenTensors(s).map((t) => t.name)).toEqual([...readSafetensors(FIXTURE).tensors.keys()]);
    // Round trip through our writer.
    const back = sirenFromTensors(decodeSafetensors(encodeSafetensors(sirenTensors(s)), "mem").tensors, 30, "mem");
    expect(back.layers.map((l) => Array.from(l.weight.subarray(0, 5)))).toEqual(
      s.layers.map((l) => Array.from(l.weight.subarray(0, 5))),
    );
  });

  it("initialises within the reference's bounds, deterministically", () => {
    const a = initSiren(FIG3, 7);
    const maxAbs = (x: Float32Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(maxAbs(a.layers[0].weight)).toBeLessThanOrEqual(1 / 3);
    expect(maxAbs(a.layers[0].weight)).toBeGreaterThan(0.3);
    const hidden = Math.sqrt(6 / 128) / 30;
    for (const l of a.layers.slice(1)) {
      expect(maxAbs(l.weight)).toBeLessThanOrEqual(Math.fround(hidden));
      expect(maxAbs(l.weight)).toBeGreaterThan(0.9 * hidden);
      expect(maxAbs(l.bias)).toBeLessThanOrEqual(1 / Math.sqrt(l.in));
    }
    expect(maxAbs(a.layers[0].bias)).toBeLessThanOrEqual(1 / Math.sqrt(3));
    expect(initSiren(FIG3, 7).layers[3].weight).toEqual(a.layers[3].weight);
    expect(initSiren(FIG3, 8).layers[3].weight).not.toEqual(a.layers[3].weight);
  });

  it("puts neuron p = width·r + c at (r/(width−1), c/(width−1), t)", () => {
    const g = sirenGrid(32, 0.25);
    expect(g.length).toBe(1024 * 3);
    const p = 32 * 5 + 7;
    expect(Array.from(g.subarray(3 * p, 3 * p + 3))).toEqual([Math.fround(5 / 31), Math.fround(7 / 31), 0.25]);
    expect(Array.from(g.subarray(3 * 1023))).toEqual([1, 1, 0.25]);
  });

  it("computes sin(ω₀(Wx + b)) layers and a linear last layer, Ω* = f²", () => {
    // A 1 → 2 → 2 → 1 SIREN small enough to write out by hand.
    const s = {
      shape: { inFeatures: 1, hiddenFeatures: 2, hiddenLayers: 1, outFeatures: 1, outermostLinear: true, omega0: 2 },
      layers: [
        { weight: Float32Array.of(0.5, -1), bias: Float32Array.of(0.25, 0), in: 1, out: 2, sine: true },
        { weight: Float32Array.of(1, 2, -0.5, 0.75), bias: Float32Array.of(0, 0.5), in: 2, out: 2, sine: true },
        { weight: Float32Array.of(3, -2), bias: Float32Array.of(0.125), in: 2, out: 1, sine: false },
      ],
    };
    const x = [0.3, -1.2, 2];
    const expected = x.map((v) => {
      const h1 = [Math.sin(2 * (0.5 * v + 0.25)), Math.sin(2 * -v)];
      const h2 = [Math.sin(2 * (h1[0] + 2 * h1[1])), Math.sin(2 * (-0.5 * h1[0] + 0.75 * h1[1] + 0.5))];
      return 3 * h2[0] - 2 * h2[1] + 0.125;
    });
    expect(allclose(sirenForward(s, x, 3), expected, 1e-14, 1e-15).ok).toBe(true);
    // Squared output on the grid: Ω*_p = f_p².
    const fig3 = readSiren(FIXTURE, 30);
    const f = sirenField(fig3, 32, 0.5);
    const omega = sirenOmega(fig3, 32, 0.5);
    const squared = Array.from(f, (v) => v * v);
    expect(allclose(omega, squared, 1e-15).ok).toBe(true);
  });

  it.runIf(hasNumpy())("agrees with numpy on the reference's checkpoint", () => {
    // An independent forward pass: header parsed by hand, float64 matrix products.
    const out = python(`
import json, struct, numpy as np
b = open(${JSON.stringify(FIXTURE)}, 'rb').read()
n = struct.unpack('<Q', b[:8])[0]
h = json.loads(b[8:8+n])
P = {k: np.frombuffer(b[8+n+v['data_offsets'][0]:8+n+v['data_offsets'][1]], '<f4').reshape(v['shape']).astype(np.float64)
     for k, v in h.items() if k != '__metadata__'}
g = np.linspace(0, 1, 32, dtype=np.float32)
r, c = np.meshgrid(g, g, indexing='ij')
x = np.stack([r.ravel(), c.ravel(), np.full(1024, np.float32(0.37))], 1).astype(np.float64)
for i in range(6):
    x = np.sin(30 * (x @ P[f'net.{i}.linear.weight'].T + P[f'net.{i}.linear.bias']))
print(json.dumps((x @ P['net.6.weight'].T + P['net.6.bias'])[:, 0].tolist()))
`);
    const theirs = JSON.parse(out) as number[];
    const ours = sirenField(readSiren(FIXTURE, 30), 32, Math.fround(0.37));
    const check = allclose(ours, theirs, 1e-6, 1e-7);
    expect(check.ok, check.worst).toBe(true);
  });

  it("refuses files that are not a SIREN, naming the file", () => {
    const { tensors } = readSafetensors(FIXTURE);
    const without = (name: string) => new Map([...tensors].filter(([k]) => k !== name));
    expect(() => sirenFromTensors(without("net.3.linear.bias"), 30, "/m/f.safetensors")).toThrowError(
      /\/m\/f\.safetensors: net\.3\.linear\.bias is missing/,
    );
    expect(() => sirenFromTensors(new Map([...tensors, ["W", tensors.get("net.6.bias")!]]), 30, "f")).toThrowError(
      /f: unexpected tensors for a SIREN: W/,
    );
    expect(() => sirenFromTensors(new Map(), 30, "empty")).toThrowError(SafetensorsError);
    const wide = new Map(tensors);
    wide.set("net.2.linear.weight", { name: "net.2.linear.weight", shape: [128, 64], data: new Float32Array(128 * 64) });
    expect(() => sirenFromTensors(wide, 30, "f")).toThrowError(/net\.2\.linear\.weight takes 64 inputs but layer 1 gives 128/);
    expect(() => sirenField(initSiren({ ...FIG3, outFeatures: 2 }, 1), 32, 0)).toThrowError(/maps 3 → 2/);
  });
});
