#!/usr/bin/env bash
# Verification throughput (issue 5): 1,000 signed one-page documents, Kyso's verifier against
# poppler's pdfsig run once per file on the same documents.
set -euo pipefail
cd "$(dirname "$0")/.."
node bench/verify-bench.mjs 1000 | tee bench/results/verify-summary.txt
