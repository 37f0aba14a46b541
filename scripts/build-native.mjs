#!/usr/bin/env node
// Builds the native backend from source (binding.gyp, native/src → build/Release/neural_gnn.node)
// with the node-gyp that ships with npm, offline: Node's headers must be installed locally (nodedir).
// It is npm's install script, and never fails the install: when the build cannot run or fails it
// prints one line saying why the native backend is off (the WebAssembly backend is used instead),
// keeps the compiler's output in build/native-build.log, and exits 0.
// Runs `node-gyp configure build`, never `rebuild`/`clean`, which would delete build/kernels.wasm.
// Writes build/native-status.json: { "ok": true, "isas": [...], "avx512e": "built" | "skipped: why" |
// "failed: why" } or { "ok": false, "why": "..." }.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const build = join(root, "build");
const addon = join(build, "Release", "neural_gnn.node");
const log = join(build, "native-build.log");

mkdirSync(build, { recursive: true });

function done(status, line) {
  writeFileSync(join(build, "native-status.json"), `${JSON.stringify(status)}\n`);
  console.log(line);
  process.exit(0);
}

function off(why) {
  rmSync(addon, { force: true });
  done({ ok: false, why }, `neural-gnn: native backend off (${why}); the WebAssembly backend will be used`);
}

/** Whether `cmd args` runs and exits 0. */
function runs(cmd, args) {
  return spawnSync(cmd, args, { stdio: "ignore", shell: false }).status === 0;
}

if (process.env.NEURAL_GNN_NATIVE === "0") off("disabled by NEURAL_GNN_NATIVE=0");

// node-gyp: npm passes its own to lifecycle scripts; otherwise the one next to this node's npm.
const prefix = dirname(dirname(process.execPath));
const gypCandidates = [
  process.env.npm_config_node_gyp,
  join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
  join(prefix, "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
];
const nodeGyp = gypCandidates.find((p) => p && existsSync(p));
if (!nodeGyp) off("node-gyp not found");

// Headers: npm's nodedir, else this node's prefix; never let node-gyp download them.
const hasHeaders = (dir) => dir && existsSync(join(dir, "include", "node", "node_api.h"));
const nodedir = [process.env.npm_config_nodedir, prefix].find(hasHeaders);
if (!nodedir) off(`Node's headers not found (no include/node/node_api.h under ${process.env.npm_config_nodedir || prefix})`);

if (process.platform === "win32") off("the native build supports Linux and macOS only");
const python = process.env.PYTHON || process.env.npm_config_python || "python3";
if (!runs(python, ["--version"])) off(`${python} not found (node-gyp needs it)`);
if (!runs("make", ["--version"])) off("make not found");
const cc = process.env.CC || "cc";
if (!runs(cc, ["--version"])) off(`no working C compiler ("${cc}")`);

// SIMDe's AVX-512F headers (optional): with them the addon also gets the test-only avx512e table.
const simdeFound = () =>
  spawnSync(cc, ["-E", "-x", "c", "-", "-o", "/dev/null"], {
    input: "#include <simde/x86/avx512.h>\n",
    stdio: ["pipe", "ignore", "ignore"],
  }).status === 0;
let avx512e =
  process.env.NEURAL_GNN_AVX512E === "0"
    ? "skipped: NEURAL_GNN_AVX512E=0"
    : simdeFound()
      ? "built"
      : "skipped: SIMDe's <simde/x86/avx512.h> not found";

const t0 = Date.now();
let output = "";

/** node-gyp configure + build, its output appended to the log; the first failing step's error line, or null. */
function nodeGypBuild(avx512e) {
  for (const step of [
    ["configure", "--", `-Dngnn_avx512e=${avx512e ? 1 : 0}`],
    ["build", "-j", "max"],
  ]) {
    const env = { ...process.env, npm_config_nodedir: nodedir }; // npm's setting would override --nodedir
    const args = [nodeGyp, step[0], `--nodedir=${nodedir}`, ...step.slice(1)];
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env });
    const out = `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}\n`;
    output += `$ node-gyp ${step.join(" ")}\n${out}`;
    writeFileSync(log, output);
    if (r.status !== 0) {
      const lines = out.split("\n").filter((l) => !/^gyp info/.test(l));
      const first = lines.find((l) => /error/i.test(l) && !/^gyp ERR!/.test(l)) ?? lines.find((l) => /^gyp ERR!/.test(l)) ?? "";
      const what =
        first
          .replace(/^gyp ERR!\s*/, "")
          .trim()
          .slice(0, 160) || "see the log";
      return `node-gyp ${step[0]} failed: ${what}; log in build/native-build.log`;
    }
  }
  return null;
}

// The test-only table must never cost the backend: when the build with it fails, build without.
if (avx512e === "built") {
  const why = nodeGypBuild(true);
  if (why) avx512e = `failed: ${why}`;
}
const failed = avx512e === "built" ? null : nodeGypBuild(false);
if (failed) off(failed);

// Load it once in a fresh process: a library that builds but does not load is as good as none.
const probe = spawnSync(process.execPath, ["-e", `console.log(require(${JSON.stringify(addon)}).info().isas.join(","))`], {
  encoding: "utf8",
});
if (probe.status !== 0) off(`the addon does not load: ${(probe.stderr || "").split("\n")[0].slice(0, 160)}`);
const isas = probe.stdout.trim().split(",");
done(
  { ok: true, isas, avx512e },
  `neural-gnn: native backend built in ${((Date.now() - t0) / 1000).toFixed(0)} s (${isas[0]} kernels on this CPU)`,
);
