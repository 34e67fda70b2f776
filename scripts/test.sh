#!/usr/bin/env bash
# Runs every test, installing what the tests need first. `.ci/run` calls this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-tools.sh
cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
