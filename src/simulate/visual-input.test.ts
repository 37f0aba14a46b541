import { describe, expect, it } from "vitest";
import type { Stimulus } from "../io/tiff.js";
import { inputPixel, videoPage, visualInput } from "./visual-input.js";

/** numpy's rot90(A, 1) of a square [n, n] array: B[i][j] = A[j][n − 1 − i]. */
function rot90(a: Float32Array, n: number): Float32Array {
  const b = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i * n + j] = a[j * n + (n - 1 - i)];
  return b;
}

describe("visual input", () => {
  it("shows page ⌊256·k/n_frames⌋ of the 257-page video at frame k", () => {
    expect(videoPage(0, 50_000, 257)).toBe(0);
    expect(videoPage(195, 50_000, 257)).toBe(0);
    expect(videoPage(196, 50_000, 257)).toBe(1);
    expect(videoPage(49_999, 50_000, 257)).toBe(255);
    expect(videoPage(50_000, 50_000, 257)).toBe(256);
    expect(() => videoPage(-1, 50_000, 257)).toThrowError(RangeError);
  });

  it("gives neuron p the pixel (width − 1 − p mod width, ⌊p/width⌋)", () => {
    expect(inputPixel(0, 32)).toEqual({ row: 31, col: 0 });
    expect(inputPixel(1, 32)).toEqual({ row: 30, col: 0 });
    expect(inputPixel(32, 32)).toEqual({ row: 31, col: 1 });
    expect(inputPixel(1023, 32)).toEqual({ row: 0, col: 31 });
  });

  it("equals the reference's np.rot90(page, 3) reshaped row-major", () => {
    const n = 5;
    const video: Stimulus = { frames: 3, height: n, width: n, data: Float32Array.from({ length: 3 * n * n }, (_, i) => i) };
    const page = video.data.subarray(n * n, 2 * n * n);
    const expected = rot90(rot90(rot90(page, n), n), n);
    // n_frames 10: frame 5 shows page ⌊2·5/10⌋ = 1.
    expect(Array.from(visualInput(video, 5, 10))).toEqual(Array.from(expected));
  });
});
