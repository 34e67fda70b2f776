#!/usr/bin/env bash
# Runs every test, installing what the tests need first. `.ci/run` calls this.
set -euo pipefail
cd "$(dirname "$0")/.."
# The conformance tests read real Jekyll sites and what Jekyll made of them
# from ../shared/corpus; without it they would fail one by one, far from the
# cause. Stop before installing or building anything.
if [ ! -d ../shared/corpus ]; then
  echo "scripts/test.sh: ../shared/corpus is missing: the tests read the shared corpus" >&2
  echo "  (real Jekyll sites and Jekyll's output for them) from the folder beside this" >&2
  echo "  checkout, $(cd .. && pwd)/shared/corpus. Put a copy of shared/ there and run again." >&2
  exit 2
fi
for tool in cargo python3 java; do
  if ! command -v "$tool" >/dev/null; then
    echo "scripts/test.sh: $tool is not on PATH; see Prerequisites in README.md" >&2
    exit 2
  fi
done
bash scripts/install-test-tools.sh
# Every tool is installed now: a test that cannot find one fails instead
# of skipping its check (tests/common::tool).
export JEKYLL_MIGRATE_REQUIRE_TOOLS=1
cargo fmt --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo test --workspace --locked
