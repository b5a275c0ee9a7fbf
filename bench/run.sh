#!/usr/bin/env bash
# `npm run bench`: every benchmark, side by side with the reference tool where the issue names one.
# Whole commands are timed with hyperfine; peak memory with /usr/bin/time -v (Debian's time).
# Results go to bench/results/ (JSON per run) and a summary is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
for tool in hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool: apt-get install hyperfine time" >&2; exit 1; }
done
npm run build --silent
mkdir -p bench/results
work=$(mktemp -d "${TMPDIR:-/tmp}/kyso-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
export KYSO_BENCH_WORK="$work"
bash fixtures/pki/make-all.sh "$work/fixtures" >/dev/null
only=${1:-all}
[ "$only" = all ] || [ "$only" = sign ] && bash bench/sign.sh
[ "$only" = all ] || [ "$only" = verify ] && [ -f bench/verify.sh ] && bash bench/verify.sh
[ "$only" = all ] || [ "$only" = verify-cli ] && bash bench/verify-cli.sh
[ "$only" = all ] || [ "$only" = batch ] && [ -f bench/batch.sh ] && bash bench/batch.sh
[ "$only" = all ] || [ "$only" = app ] && [ -f bench/app-ui.mjs ] && npm run build:renderer --silent && node bench/app-ui.mjs
node bench/summary.mjs bench/results
