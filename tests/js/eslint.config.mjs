// ESLint's flat configuration for tracksite's own JavaScript: the widgets' and search's scripts
// the theme publishes, the export's scripts and the search engine, the dev server's reload script, and these tests. The vendored
// CodeMirror bundle and Pyodide are not ours and are left out. ESLint is installed by .ci/run
// into tests/.npm (git-ignored), so its packages are required from there, not from a
// node_modules beside this file. Run: tests/.npm/node_modules/.bin/eslint -c tests/js/eslint.config.mjs
// (from the repository's root; tests/architecture/test_widgets_js.py runs it when it is installed).
import { createRequire } from "node:module";

const require = createRequire(new URL("../.npm/", import.meta.url));
const js = require("@eslint/js");
const globals = require("globals");

// What the rules look for: mistakes (names never defined or never used, unreachable code,
// assignments in conditions, duplicate keys, a browser's global such as `name` or `event` used
// where a variable of that name was meant, == where the types differ, eval), not style: the code
// keeps its own layout and its own choice of `var` or `const`.
const rules = {
  ...js.configs.recommended.rules,
  // `const { first, ...rest } = v` leaves `first` out of `rest` on purpose (travel.js)
  "no-unused-vars": ["error", { args: "after-used", argsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
  "no-empty": ["error", { allowEmptyCatch: true }], // a storage that refuses is ignored on purpose
  "no-restricted-globals": ["error", "name", "event", "length", "status", "top", "parent", "close", "open"],
  "no-implicit-globals": "error",
  eqeqeq: ["error", "smart"],
  "no-eval": "error",
  "no-implied-eval": "error",
  "no-new-func": "error",
};

export default [
  {
    ignores: ["scripts/tracksite/theme/assets/tracksite/codemirror/**", "scripts/tracksite/theme/assets/tracksite/pyodide/**"],
  },
  {
    // the page's classic scripts: each its own function scope (widgets.js shares through window.tracksite)
    files: [
      "scripts/tracksite/theme/assets/tracksite/*.js",
      "scripts/tracksite/core/widgets/*/*.js", // a widget's own script, in its home
      "scripts/tracksite/theme/export/*.js",
      "scripts/tracksite/adapter/serve/*.js", // the reload script `mkdocs serve` adds to its pages
    ],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.browser } },
    rules,
  },
  {
    // the page's modules (search-ui.js imports the engine; the editor imports CodeMirror's bundle)
    files: [
      "scripts/tracksite/theme/assets/tracksite/search-ui.js",
      "scripts/tracksite/core/widgets/runnable/runnable-editor.js",
      "scripts/tracksite/search/search-engine.js",
    ],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
    rules,
  },
  {
    // the runnable block's worker (a classic worker inside the sandboxed frame, runnable-frame.js
    // puts Pyodide's parts before it in one script)
    files: ["scripts/tracksite/core/widgets/runnable/runnable-worker.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.worker } },
    rules: { ...rules, "no-restricted-globals": "off" },
  },
  {
    files: ["tests/js/**/*.mjs", "scripts/tracksite/core/widgets/runnable/*.mjs"], // and the check's Node driver
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
    rules,
  },
];
