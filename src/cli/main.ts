/** The `neural-gnn` command line. */
import { Command, InvalidArgumentError } from "commander";
import { generateCommand } from "./generate.js";
import { packageVersion } from "./paths.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];
const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a positive integer");
  return n;
};

export function program(): Command {
  const cmd = new Command("neural-gnn")
    .description("Recover connectivity, neuron types and signalling functions of simulated neural assemblies with a GNN")
    .version(packageVersion());
  cmd
    .command("generate")
    .description("simulate a config's neural assembly and write its dataset and figures (Fig 2b, 2c, eigenvalues)")
    .argument("[config]", "config YAML (default: the embedded quick config)")
    .option("--set <section.key=value>", "override a config value (repeatable)", collect, [])
    .option("--runs <dir>", "folder holding run folders", "runs")
    .option("--force", "replace an existing dataset")
    .option("--threads <n>", "compute threads (default: all cores)", positiveInt)
    .option("-q, --quiet", "no progress output")
    .action(async (config: string | undefined, opts) => generateCommand(config, opts));
  return cmd;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (e) {
    process.stderr.write(`neural-gnn: error: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
