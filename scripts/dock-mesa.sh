#!/usr/bin/env bash
# Docking of the Epstein reference model against Mesa 3.3.1's example.
#
# Creates a Python virtual environment (default: target/dock-mesa-venv, never
# committed), installs mesa==3.3.1 with networkx (needed by mesa.examples)
# and scipy (KS tests), builds the release binary unless DOCK_BINARY names
# one, then runs scripts/dock_mesa.py. Extra arguments go to dock_mesa.py,
# e.g. --seeds 100 --steps 100. Results: results/dock-mesa/ (not committed)
# and a Markdown summary on standard output.
#
# Mesa >= 3.4 needs Python >= 3.12; 3.3.1 is the version that runs on 3.11.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"

venv="${DOCK_VENV:-$root/target/dock-mesa-venv}"
python="${PYTHON:-}"
if [ -z "$python" ]; then
    if command -v python3.11 >/dev/null 2>&1; then python=python3.11; else python=python3; fi
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "creating virtual environment in $venv" >&2
    "$python" -m venv "$venv"
fi
"$venv/bin/pip" install --quiet "mesa==3.3.1" networkx scipy

binary="${DOCK_BINARY:-}"
if [ -z "$binary" ]; then
    cargo build --release --quiet -p patronfall
    binary="${CARGO_TARGET_DIR:-$root/target}/release/patronfall"
fi

exec "$venv/bin/python" "$here/dock_mesa.py" --binary "$binary" "$@"
