#!/usr/bin/env bash
# npm run demo: build the engine, then sign and verify a sample decision (scripts/demo.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
node scripts/demo.mjs
