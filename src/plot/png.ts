/**
 * Minimal PNG encoder (8-bit RGB, no interlace) for the raster images embedded in SVG figures,
 * and SVG → PNG rendering with resvg and a pinned font (DejaVu Sans, shipped as an npm package),
 * in a child process (png-render.js) so that resvg can never abort this one.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encode `rgb` ([height, width, 3] bytes, row-major) as a PNG file. */
export function encodePngRgb(rgb: Uint8Array, width: number, height: number): Buffer {
  if (rgb.length !== width * height * 3) throw new Error(`encodePngRgb: expected ${width * height * 3} bytes, got ${rgb.length}`);
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/** data: URI of a PNG. */
export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
}

export const FONT_FAMILY = "DejaVu Sans";

let fontFiles: string[] | undefined;

function pinnedFonts(): string[] {
  if (!fontFiles) {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
    fontFiles = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"].map((f) => join(dir, f));
  }
  return fontFiles;
}

/** Largest PNG rendered, in pixels per side and in all (an RGBA canvas of 2²⁶ pixels is 256 MiB). */
export const MAX_PNG_SIDE = 32_767;
export const MAX_PNG_PIXELS = 2 ** 26;

/** The PNG size of `svg` at `scale`×, or an Error when it is not an <svg> document of sensible size. */
export function pngSize(svg: string, scale = 2): { width: number; height: number } {
  const open = /^\s*(?:<\?xml[^>]*>\s*)?(<svg\b[^>]*>)/.exec(svg)?.[1];
  if (!open) throw new Error("cannot render as PNG: not an <svg> document");
  if (!/<\/svg>\s*$/.test(svg)) throw new Error("cannot render as PNG: the <svg> document is not closed");
  const size = (name: string) => {
    const text = new RegExp(`\\s${name}="([^"]*)"`).exec(open)?.[1];
    const v = Number(text);
    if (text === undefined || text.trim() === "" || !Number.isFinite(v) || v <= 0)
      throw new Error(`cannot render as PNG: the <svg> ${name} is ${text === undefined ? "missing" : JSON.stringify(text)}`);
    return Math.ceil(v * scale);
  };
  if (!(Number.isFinite(scale) && scale > 0)) throw new Error(`cannot render as PNG: scale ${scale}`);
  const width = size("width");
  const height = size("height");
  if (width > MAX_PNG_SIDE || height > MAX_PNG_SIDE || width * height > MAX_PNG_PIXELS)
    throw new Error(`cannot render as PNG: ${width} × ${height} pixels is too large`);
  return { width, height };
}

const RENDERER = fileURLToPath(new URL("./png-render.js", import.meta.url));

/**
 * Render an SVG string to PNG at `scale`× its size, with the pinned font only (reproducible).
 * The size is checked first; resvg runs in a child process, so that an input on which it aborts
 * (a Rust panic, e.g. a clipped group lying wholly far outside the canvas) is a normal Error here.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  pngSize(svg, scale);
  const request = JSON.stringify({ svg, scale, fonts: pinnedFonts(), family: FONT_FAMILY });
  return new Promise<Buffer>((resolve, reject) => {
    const child = spawn(process.execPath, [RENDERER], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.stdin.on("error", () => {}); // the child's exit status says what went wrong
    child.on("error", (e) => reject(new Error(`cannot render as PNG: ${e.message}`)));
    child.on("close", (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(out));
      // A panic prints "thread '…' panicked at /…/crates/resvg/src/geom.rs:27:61:" then its message.
      const text = Buffer.concat(err)
        .toString("utf8")
        .replace(/\/\S*\/crates\//g, "");
      const lines = text.split("\n").map((l) => l.trim());
      const at = lines.findIndex((l) => /panicked at/.test(l));
      const why = at >= 0 ? `${lines[at].replace(/^thread '[^']*' /, "")} ${lines[at + 1] ?? ""}` : (lines.find((l) => l) ?? "");
      reject(
        new Error(`cannot render as PNG: resvg ${signal ? `aborted (${signal})` : "failed"}${why ? `: ${why.trim()}` : ""}`),
      );
    });
    child.stdin.end(request);
  });
}
