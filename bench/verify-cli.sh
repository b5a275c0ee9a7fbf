#!/usr/bin/env bash
# `kyso verify` as a command (issue 12), side by side with poppler's pdfsig on the same documents:
#  1. one 1-page document, whole process (target: ≤ 3× pdfsig);
#  2. 100 documents in one `kyso verify --in DIR` against pdfsig run once per file (target: ≥ 3× faster);
#  3. peak memory of `kyso verify --in` over 10, 100, 400 and 1,600 documents (target: flat).
# Kyso runs as a clerk would: the built-in trust list on, plus the test root with --trust; pdfsig
# gets the test root in its NSS database and -no-ocsp (Kyso is offline by default).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${KYSO_BENCH_WORK:?run through bench/run.sh}
pki="$work/fixtures/pki"
out=bench/results
docs="$work/verify-cli"
export KYSO_HOME="$work/verify-home"
mkdir -p "$KYSO_HOME"
node bench/make-verify-docs.mjs "$pki" "$docs/all" 1600
all=("$docs"/all/*.pdf)
for n in 1 10 100 400; do
  mkdir -p "$docs/$n"
  ln "${all[@]:0:$n}" "$docs/$n/"
done
one="$docs/1/$(basename "${all[0]}")"
kyso="node bin/kyso.js verify"
pdfsig="pdfsig -nssdir sql:$pki/nssdb -no-ocsp"
# Both must call the documents valid before they are timed.
$kyso --in "$docs/100" --trust "$pki/root-ca.pem" >/dev/null
$pdfsig "$one" | grep -q 'Signature is Valid'

echo "== verify 1 page, whole process: kyso verify vs pdfsig"
hyperfine --warmup 3 --runs 30 --export-json "$out/verify-1page.json" \
  -n kyso "$kyso $one --trust $pki/root-ca.pem" \
  -n pdfsig "$pdfsig $one" \
  -n node-empty "node -e 0"

echo "== verify 100 documents: one kyso verify --in vs pdfsig once per file"
hyperfine --warmup 1 --runs 5 --export-json "$out/verify-100.json" \
  -n kyso "$kyso --in $docs/100 --trust $pki/root-ca.pem" \
  -n pdfsig "for f in $docs/100/*.pdf; do $pdfsig \$f >/dev/null; done"

peak() { # CMD -> KiB
  /usr/bin/time -v bash -c "$1" 2> "$work/time.txt" >/dev/null || true
  awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt"
}
m10=$(peak "$kyso --in $docs/10 --trust $pki/root-ca.pem")
m100=$(peak "$kyso --in $docs/100 --trust $pki/root-ca.pem")
m400=$(peak "$kyso --in $docs/400 --trust $pki/root-ca.pem")
m1600=$(peak "$kyso --in $docs/all --trust $pki/root-ca.pem")
printf '{"peakKiB":{"10":%s,"100":%s,"400":%s,"1600":%s}}\n' "$m10" "$m100" "$m400" "$m1600" >"$out/verify-memory.json"
