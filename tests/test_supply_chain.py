"""Every Python package the build and the tests install is pinned, with hashes, in a lock file
made from pyproject.toml, and the installers refuse anything that does not match."""
from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from helpers import REPO

LOCKS = {"build": REPO / "requirements.txt", "test": REPO / "requirements-test.txt"}
PIN = re.compile(r"^([a-z0-9][a-z0-9._-]*)==(\S+) \\$")


def read_lock(path: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """{package: (version, hashes)}; fails on any line that is not a hashed exact pin."""
    pins: dict[str, tuple[str, frozenset[str]]] = {}
    current = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if match := PIN.match(line):
            current = match[1]
            pins[current] = (match[2], frozenset())
        elif (hashed := re.fullmatch(r"\s+--hash=sha256:([0-9a-f]{64})( \\)?", line)) and current:
            pins[current] = (pins[current][0], pins[current][1] | {hashed[1]})
        else:
            pytest.fail(f"{path.name}:{number}: not a hashed exact pin: {line!r}")
    return pins


@pytest.mark.parametrize("name", LOCKS)
def test_every_pin_has_an_exact_version_and_hashes(name: str) -> None:
    pins = read_lock(LOCKS[name])
    assert pins and all(hashes for _, hashes in pins.values()), [p for p, (_, h) in pins.items() if not h]


def test_the_locks_satisfy_pyproject_and_agree_with_each_other() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    build, test = read_lock(LOCKS["build"]), read_lock(LOCKS["test"])
    for lock, wanted in ((build, project["dependencies"]), (test, project["dependencies"] + project["optional-dependencies"]["test"])):
        for text in wanted:
            requirement = Requirement(text)
            name = requirement.name.lower()
            assert name in lock, f"{requirement.name} is not locked"
            assert lock[name][0] in requirement.specifier, f"{name}=={lock[name][0]} is outside {requirement}"
    assert {p: build[p] for p in build} == {p: test[p] for p in build}, "the test lock installs the build's exact files"


def test_this_environment_runs_exactly_the_locked_versions() -> None:
    drift = [f"{p}: locked {v}, installed {version(p)}" for p, (v, _) in read_lock(LOCKS["test"]).items() if version(p) != v]
    assert drift == [], "run scripts/ensure-test-deps.sh"


def test_installers_use_the_locks_with_hashes() -> None:
    ensure = (REPO / "scripts" / "ensure-test-deps.sh").read_text(encoding="utf-8")
    assert "--require-hashes" in ensure and "requirements-test.txt" in ensure
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "pip install --require-hashes -r requirements.txt" in readme
