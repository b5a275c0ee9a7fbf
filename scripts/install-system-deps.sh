#!/usr/bin/env bash
# Installs the Debian packages the tests use, then checks that every command and file is there:
#   softhsm2, opensc          a real PKCS#11 module and pkcs11-tool (tokens)
#   poppler-utils, qpdf       pdfsig, pdftotext, pdftoppm, pdfimages and qpdf --check on every output
#   openssl                   the test PKI, TSA and OCSP responder
#   libnss3-tools             certutil/modutil: the NSS database pdfsig verifies against
#   faketime                  CI runs the suite a second time two years ahead (.ci/run)
#   fonts-liberation          a font without Vietnamese letters (the font tests refuse it)
#   chromium                  the app's browser tests drive Debian's /usr/bin/chromium
# (`time` and `hyperfine` are for `npm run bench` only; this script does not install them.)
#
# Nothing missing: exits 0 silently. Something missing, as root with apt-get: installs the packages
# and checks again. Still missing, or no way to install: prints the list of what is missing and the
# packages that provide it, and fails, so tests are never skipped or failed for a missing tool.
set -euo pipefail

pkgs=(softhsm2 opensc poppler-utils qpdf openssl libnss3-tools faketime fontconfig fonts-liberation chromium)

# What must exist: "package|kind|what" (kind: cmd = a command on PATH, file = a path, font = fc-list).
checks=(
  "softhsm2|cmd|softhsm2-util"
  "softhsm2|file|/usr/lib/softhsm/libsofthsm2.so"
  "opensc|cmd|pkcs11-tool"
  "poppler-utils|cmd|pdfsig"
  "poppler-utils|cmd|pdftotext"
  "poppler-utils|cmd|pdftoppm"
  "poppler-utils|cmd|pdfimages"
  "qpdf|cmd|qpdf"
  "openssl|cmd|openssl"
  "libnss3-tools|cmd|certutil"
  "libnss3-tools|cmd|modutil"
  "faketime|cmd|faketime"
  "fontconfig|cmd|fc-list"
  "fonts-liberation|file|/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
  "fonts-liberation|font|Liberation Serif"
  "chromium|file|/usr/bin/chromium"
)

missing=()      # what is missing, for the message
missing_pkgs=() # the packages that provide it
check_all() {
  missing=()
  missing_pkgs=()
  local row pkg kind what ok
  for row in "${checks[@]}"; do
    IFS='|' read -r pkg kind what <<<"$row"
    case $kind in
      cmd) command -v "$what" >/dev/null 2>&1 && ok=1 || ok=0 ;;
      file) [[ -e $what ]] && ok=1 || ok=0 ;;
      font) command -v fc-list >/dev/null 2>&1 && fc-list : family | grep -qF "$what" && ok=1 || ok=0 ;;
    esac
    if [[ $ok == 0 ]]; then
      missing+=("$what")
      [[ " ${missing_pkgs[*]} " == *" $pkg "* ]] || missing_pkgs+=("$pkg")
    fi
  done
}

check_all
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi

if command -v apt-get >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
  echo "installing system packages: ${missing_pkgs[*]} (missing: ${missing[*]})"
  log=$(mktemp)
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing_pkgs[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
  fi
  rm -f "$log"
  check_all
  if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi
fi

{
  echo "kyso tests need these, which are missing:"
  printf '  %s\n' "${missing[@]}"
  echo "install them with: sudo apt-get install ${missing_pkgs[*]}"
  echo "(all the packages the tests use: ${pkgs[*]})"
} >&2
exit 1
