#!/usr/bin/env bash
# Installs the Debian packages the tests use (real PKCS#11 module, checkers, TSA/OCSP via openssl).
# On a machine without apt it lists what is missing and fails, so token tests are never skipped silently.
set -euo pipefail
need_cmds=(softhsm2-util pkcs11-tool pdfsig pdftotext pdftoppm qpdf openssl certutil modutil)
pkgs=(softhsm2 opensc poppler-utils qpdf openssl libnss3-tools)
missing=()
for c in "${need_cmds[@]}"; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
[ -e /usr/lib/softhsm/libsofthsm2.so ] || missing+=(/usr/lib/softhsm/libsofthsm2.so)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing system packages: ${pkgs[*]} (missing: ${missing[*]})"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  exit 0
fi
echo "kyso tests need these, which are missing: ${missing[*]}" >&2
echo "install them with: sudo apt-get install ${pkgs[*]}" >&2
exit 1
