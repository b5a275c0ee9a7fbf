#!/usr/bin/env bash
# Batch benchmarks (issue: batch signing for the one-stop office), on 1,000 one-page decisions:
#  1. `kyso batch` on the SoftHSM token, in documents per second, against poppler's pdfsig run once
#     per file on the same documents with the same key (target: at least 20× faster);
#  2. the same batch on a token slowed to 250 ms per signature (a latency-injecting wrapper of the
#     PKCS#11 interface, in-process: the CLI cannot take one): total time against 1,000 × 250 ms
#     (target: within 5%, the token being the only bottleneck);
#  3. peak memory of `kyso batch` at 250 and at 1,000 documents (target: flat).
# KYSO_BENCH_DOCS (default 1000) and KYSO_BENCH_LATENCY_MS (default 250) shrink it for a quick look.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${KYSO_BENCH_WORK:?run through bench/run.sh}
fx="$work/fixtures"
out=bench/results
docs=${KYSO_BENCH_DOCS:-1000}
latency=${KYSO_BENCH_LATENCY_MS:-250}
b="$work/batch"
mkdir -p "$b"
cp -r "$fx/tokens-template/tokens" "$b/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$b/tokens" > "$b/softhsm2.conf"
export SOFTHSM2_CONF="$b/softhsm2.conf" KYSO_HOME="$b/home" KYSO_BENCH_PIN=123456
module=/usr/lib/softhsm/libsofthsm2.so

# The documents: one decision, copied.
node fixtures/documents/make-decision.mjs "$b/decision.pdf"
make_docs() { # DIR COUNT
  mkdir -p "$1"
  for i in $(seq -w 1 "$2"); do cp "$b/decision.pdf" "$1/qd-$i.pdf"; done
}
make_docs "$b/in" "$docs"
make_docs "$b/in-quarter" $((docs / 4))

# pdfsig signs through NSS (fixtures/pdf/pdfsig-sign.sh prepares the database once).
bash fixtures/pdf/pdfsig-sign.sh "$fx" "$b/decision.pdf" "$b/pdfsig-check.pdf"
signer="$fx/pdfsig-signer"
nick=$(cat "$signer/nick")
cat > "$b/pdfsig-loop.sh" <<EOF
#!/usr/bin/env bash
set -e
rm -rf '$b/pdfsig-out' && mkdir -p '$b/pdfsig-out'
for f in '$b/in'/*.pdf; do
  SOFTHSM2_CONF='$signer/softhsm2.conf' LD_PRELOAD=$module pdfsig -add-signature -nssdir 'sql:$signer/nssdb' \\
    -nss-pwd 123456 -nick '$nick' "\$f" '$b/pdfsig-out/'"\$(basename "\$f")" >/dev/null 2>&1 || [ \$? -eq 139 ]
done
EOF
kyso_cmd() { # IN OUT
  printf 'node bin/kyso.js batch --in %q --out %q --module %q --token "Kyso Bench" --pin-env KYSO_BENCH_PIN >/dev/null 2>&1' \
    "$1" "$2" "$module"
}
# Warm the probe cache as a user's second command would find it.
node bin/kyso.js tokens --module "$module" >/dev/null

echo "== $docs one-page documents: kyso batch vs pdfsig -add-signature once per file"
hyperfine --runs 3 --export-json "$out/batch-throughput.json" \
  --prepare "rm -rf $b/kyso-out" \
  -n kyso-batch "$(kyso_cmd "$b/in" "$b/kyso-out")"
hyperfine --runs 1 --export-json "$out/batch-pdfsig.json" -n pdfsig-loop "bash $b/pdfsig-loop.sh"
ls "$b/pdfsig-out" | wc -l | xargs echo "pdfsig outputs:"

echo "== peak memory at $((docs / 4)) and $docs documents"
peak() { # CMD -> KiB
  /usr/bin/time -v bash -c "$1" 2> "$b/time.txt" >/dev/null
  awk -F': ' '/Maximum resident set size/ {print $2}' "$b/time.txt"
}
rm -rf "$b/mem-out" && small_kb=$(peak "$(kyso_cmd "$b/in-quarter" "$b/mem-out")")
rm -rf "$b/mem-out" && large_kb=$(peak "$(kyso_cmd "$b/in" "$b/mem-out")")
printf '{"smallDocs": %s, "smallPeakKiB": %s, "largeDocs": %s, "largePeakKiB": %s}\n' \
  $((docs / 4)) "$small_kb" "$docs" "$large_kb" > "$out/batch-memory.json"
cat "$out/batch-memory.json"

echo "== $docs documents on a token slowed to $latency ms per signature"
node bench/batch-latency.mjs "$b/in" "$b/latency-out" "$latency" | tee "$out/batch-latency.json"

node bench/batch-summary.mjs "$out" | tee "$out/batch-summary.txt"
