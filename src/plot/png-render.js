// Renders one SVG to PNG with resvg, in a process of its own (started by svgToPng in png.js):
// resvg aborts the whole process on some inputs (a Rust panic cannot unwind into Node), and
// here that ends this process only. Reads {svg, scale, fonts, family} as JSON on stdin, writes
// the PNG bytes on stdout, or an error message on stderr with exit code 1.
import { Resvg } from "@resvg/resvg-js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
try {
  const { svg, scale, fonts, family } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const png = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: { fontFiles: fonts, loadSystemFonts: false, defaultFontFamily: family },
  })
    .render()
    .asPng();
  process.stdout.write(png);
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
  process.exitCode = 1;
}
