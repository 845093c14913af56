/* Rebuilds theme/assets/tracksite/codemirror/: CodeMirror 6 bundled into one ES module
   (codemirror.js, from entry.js) and the licences of every package inside it (LICENSES.txt).
   Run ./build.sh: it installs the exact versions of package-lock.json into node_modules/
   (git-ignored) and calls this. The same lock file gives the same bytes. */
import { build } from "esbuild";
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "tracksite", "theme", "assets", "tracksite", "codemirror");
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: [join(here, "entry.js")],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  legalComments: "none",
  metafile: true,
  write: false,
  absWorkingDir: here,
});
const packages = new Map(); /* name -> folder, of every package a byte of the bundle came from */
const used = Object.values(result.metafile.outputs)[0].inputs;
for (const input of Object.keys(used).filter((i) => used[i].bytesInOutput > 0)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) packages.set(m[1], join(here, "node_modules", m[1]));
}
const names = Array.from(packages.keys()).sort();
const header = "/* CodeMirror 6 for tracksite's runnable editor, bundled by scripts/codemirror/build.sh from: "
  + names.map((n) => n + "@" + JSON.parse(readFileSync(join(packages.get(n), "package.json"))).version).join(", ")
  + ". Licences: LICENSES.txt beside this file. */\n";
writeFileSync(join(out, "codemirror.js"), header + result.outputFiles[0].text);

const licences = names.map((name) => {
  const folder = packages.get(name);
  const meta = JSON.parse(readFileSync(join(folder, "package.json")));
  const file = readdirSync(folder).find((f) => /^licen[cs]e/i.test(f));
  const text = file ? readFileSync(join(folder, file), "utf8").trim() : "(no licence file; package.json says " + meta.license + ")";
  return `${name} ${meta.version} (${meta.license})\n${"-".repeat(60)}\n${text}\n`;
});
writeFileSync(join(out, "LICENSES.txt"),
  "The packages bundled into codemirror.js and their licences.\n\n" + licences.join("\n"));
console.log(`codemirror.js: ${names.length} packages, ${Buffer.byteLength(result.outputFiles[0].text)} bytes`);
