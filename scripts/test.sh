#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite.
# Usage: scripts/test.sh [pytest arguments]   (e.g. scripts/test.sh -m "not browser")
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
exec python3 -m pytest "$@"
