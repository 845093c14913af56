/* tracksite check --run-code --in-page-python: the exercises run in the page's own Python, the
   Pyodide the site ships (theme/assets/tracksite/pyodide/), under Node, inside the sandbox of
   core/sandbox.py (core/widgets/runnable/check.py starts it). Arguments: Pyodide's folder (its
   two modules named .mjs there), the runner (runner.py, the page's), the runs (a JSON file, as
   runner.py's run_all reads them). Out: the verdicts, as the last line of stdout; what the runs
   print goes nowhere, as in the CPython check. */
import { readFileSync } from "node:fs";

const [folder, runnerFile, runsFile] = process.argv.slice(2);
const { loadPyodide } = await import(folder + "pyodide.mjs");
const asm = await import(folder + "pyodide.asm.mjs");
const nowhere = () => {};
const py = await loadPyodide({ indexURL: folder, packages: [], createPyodideModule: asm.default, stdout: nowhere, stderr: nowhere });
py.setStdin({ error: true }); /* as the page's worker: nobody to ask */
py.FS.writeFile("/home/pyodide/tracksite_runner.py", readFileSync(runnerFile, "utf8"));
const runner = py.pyimport("tracksite_runner");
process.stdout.write("\n" + runner.run_all(readFileSync(runsFile, "utf8")) + "\n");
