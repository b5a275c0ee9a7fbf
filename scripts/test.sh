#!/usr/bin/env bash
# The test command (README): makes sure the system tools exist (installs them on Debian/Ubuntu as
# root, otherwise stops with the list of what is missing), builds the CLI, then runs every test.
# Arguments go to vitest (`npm test -- test/cli`). At another date: `faketime -f +730d npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
npm run build --silent
npx vitest run "$@"
