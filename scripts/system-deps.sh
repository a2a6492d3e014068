#!/bin/sh
# Debian packages the project needs, installed when missing and we may (as root, with apt-get).
#   scripts/system-deps.sh        what the site needs: pango, for WeasyPrint (certificate PDFs);
#                                 and, if they can be installed, espeak-ng and opus-tools, which
#                                 give the demo lessons a spoken narration
#   scripts/system-deps.sh test   also poppler-utils (pdftoppm, to read QR codes off rendered
#                                 certificates) and chromium, driven by the browser tests
set -e

# Two runs side by side (.ci/run's two passes) check and install one after the other, as
# apt-get allows only one at a time.
if command -v flock >/dev/null 2>&1; then
  exec 9>"${TMPDIR:-/tmp}/maalem-system-deps-$(id -u).lock"
  flock 9
fi

missing=""
optional=""
ldconfig -p | grep -q libpangoft2-1.0 || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
command -v espeak-ng >/dev/null 2>&1 || optional="$optional espeak-ng"
command -v opusenc >/dev/null 2>&1 || optional="$optional opus-tools"
if [ "${1:-}" = "test" ]; then
  command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
fi
if [ -z "$missing$optional" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages:$missing$optional"
  apt-get update -qq
  # shellcheck disable=SC2086  # one word per package
  [ -z "$missing" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $optional >/dev/null ||
    echo "Could not install$optional: the demo lessons will have no spoken narration." >&2
elif [ -z "$missing" ]; then
  echo "Optional, for the demo's spoken narration: sudo apt-get install$optional" >&2
else
  echo "Missing Debian packages, install them with: sudo apt-get install$missing" >&2
  exit 1
fi
