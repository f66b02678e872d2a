#!/usr/bin/env bash
# Refresh the lock files from pyproject.toml: exact pins with hashes for the build
# (requirements.txt) and for the tests (requirements-test.txt). Pins already in a lock are
# kept unless they no longer fit pyproject.toml; pass --upgrade to move everything to the
# newest allowed release. Needs pip-tools (python3 -m pip install pip-tools). -P keeps this
# folder off sys.path: build.py would shadow the `build` package pip-tools imports.
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(--quiet --generate-hashes --allow-unsafe --strip-extras
       --no-emit-index-url --no-emit-trusted-host --no-emit-find-links "$@")
python3 -P -m piptools compile "${flags[@]}" --output-file requirements.txt pyproject.toml
python3 -P -m piptools compile "${flags[@]}" --extra test --output-file requirements-test.txt pyproject.toml
