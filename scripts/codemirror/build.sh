#!/bin/sh
# Rebuilds the CodeMirror bundle the runnable widget loads (theme/assets/tracksite/codemirror/):
# installs the locked versions into node_modules/ (git-ignored), then bundles with esbuild.
# Needs node 18+ and npm. Usage: scripts/codemirror/build.sh
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --silent
node build.mjs
