#!/usr/bin/env bash
# Signing benchmarks (issue 3), against poppler's pdfsig signing the same files with the same
# SoftHSM key through NSS:
#  1. whole-process time for a 1-page decision (target: ≤ 1.5× pdfsig);
#  2. a scanned dossier of at least 200 MB: time as a ratio to copying and hashing the file once
#     (target ≤ 1.5×) and peak memory (target ≤ 150 MiB whatever the size).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${KYSO_BENCH_WORK:?run through bench/run.sh}
fx="$work/fixtures"
out=bench/results
mkdir -p "$work/sign"
cp -r "$fx/tokens-template/tokens" "$work/sign/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/sign/tokens" > "$work/sign/softhsm2.conf"
export SOFTHSM2_CONF="$work/sign/softhsm2.conf" KYSO_HOME="$work/sign/home" KYSO_BENCH_PIN=123456
module=/usr/lib/softhsm/libsofthsm2.so

# pdfsig signs through NSS with a SoftHSM folder holding only the bench token (one PIN for NSS);
# the script prepares it once and proves it works.
node fixtures/documents/make-decision.mjs "$work/decision.pdf"
bash fixtures/pdf/pdfsig-sign.sh "$fx" "$work/decision.pdf" "$work/pdfsig-check.pdf"
signer="$fx/pdfsig-signer"
nick=$(cat "$signer/nick")
pdfsig_cmd() { # IN OUT
  printf 'SOFTHSM2_CONF=%q LD_PRELOAD=/usr/lib/softhsm/libsofthsm2.so pdfsig -add-signature -nssdir sql:%q -nss-pwd 123456 -nick %q %q %q' \
    "$signer/softhsm2.conf" "$signer/nssdb" "$nick" "$1" "$2"
}
kyso_cmd() { # IN OUT
  printf 'node bin/kyso.js sign %q -o %q --module %q --token "Kyso Bench" --pin-env KYSO_BENCH_PIN' "$1" "$2" "$module"
}
# Warm the probe cache as a user's second command would find it.
node bin/kyso.js tokens --module "$module" >/dev/null

echo "== 1-page decision: kyso sign vs pdfsig -add-signature"
# Two floors beside them: Node starting and doing nothing, and the least a Node program must do to
# sign with the token (bench/node-floor-signer.cjs): what Kyso's own work adds is above the latter.
hyperfine --warmup 3 --runs 30 --export-json "$out/sign-1page.json" \
  --prepare "rm -f $work/k1.pdf $work/p1.pdf $work/f1.bin" \
  -n kyso "$(kyso_cmd "$work/decision.pdf" "$work/k1.pdf")" \
  -n pdfsig "$(pdfsig_cmd "$work/decision.pdf" "$work/p1.pdf")" \
  -n node-floor-signer "$(printf 'node bench/node-floor-signer.cjs %q "Kyso Bench" %q %q' "$module" "$work/decision.pdf" "$work/f1.bin")" \
  -n node-empty "node -e 0"

echo "== scanned dossier (>= 200 MB)"
node bench/make-scan.mjs "$work/scan.pdf" 220
hyperfine --warmup 1 --runs 5 --export-json "$out/sign-scan.json" \
  --prepare "rm -f $work/ks.pdf $work/ps.pdf $work/copy.pdf; sync" \
  -n copy+hash "cp $work/scan.pdf $work/copy.pdf && sha256sum $work/copy.pdf" \
  -n kyso "$(kyso_cmd "$work/scan.pdf" "$work/ks.pdf")" \
  -n pdfsig "$(pdfsig_cmd "$work/scan.pdf" "$work/ps.pdf")"

peak() { # NAME CMD -> writes KB
  rm -f "$work/ks.pdf" "$work/ps.pdf"
  /usr/bin/time -v bash -c "$2" 2> "$work/time.txt" >/dev/null
  awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt"
}
kyso_kb=$(peak kyso "$(kyso_cmd "$work/scan.pdf" "$work/ks.pdf")")
pdfsig_kb=$(peak pdfsig "$(pdfsig_cmd "$work/scan.pdf" "$work/ps.pdf")")
small_kb=$(peak kyso-1page "$(kyso_cmd "$work/decision.pdf" "$work/ks.pdf")")
size=$(stat -c %s "$work/scan.pdf")
printf '{"scanBytes": %s, "kysoPeakKiB": %s, "pdfsigPeakKiB": %s, "kyso1PagePeakKiB": %s}\n' "$size" "$kyso_kb" "$pdfsig_kb" "$small_kb" > "$out/sign-memory.json"
cat "$out/sign-memory.json"
