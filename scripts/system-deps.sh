#!/bin/sh
# Debian packages the project needs, installed when missing and we may (as root, with apt-get).
#   scripts/system-deps.sh        what the site needs: pango, for WeasyPrint (certificate PDFs)
#   scripts/system-deps.sh test   also poppler-utils (pdftoppm, to read QR codes off rendered
#                                 certificates) and chromium, driven by the browser tests
set -e

missing=""
ldconfig -p | grep -q libpangoft2-1.0 || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
if [ "${1:-}" = "test" ]; then
  command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
fi
if [ -z "$missing" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages:$missing"
  apt-get update -qq
  # shellcheck disable=SC2086  # one word per package
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
  echo "Missing Debian packages, install them with: sudo apt-get install$missing" >&2
  exit 1
fi
