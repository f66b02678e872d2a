"""The CI workflow is valid for actionlint and runs what the README says."""
from __future__ import annotations

import re
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
    # The strict build starts from the last run's cache (restored with its times: see
    # test_incremental's tar round trip), under a key of its own for each commit.
    names = [s.get("uses", "").split("@")[0] or s.get("run", "") for s in steps]
    cache = next(i for i, n in enumerate(names) if n == "actions/cache")
    strict = next(i for i, n in enumerate(names) if "build.py --strict" in n)
    assert cache < strict and steps[cache]["with"]["path"] == ".cache"
    assert "github.sha" in steps[cache]["with"]["key"] and steps[cache]["with"]["key"].startswith(steps[cache]["with"]["restore-keys"])
    uploads = [s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads == ["_site/", "dist/*.zip"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in flow["jobs"]["deploy"]["steps"])


def test_every_action_is_pinned_to_a_commit_sha_with_its_release_named() -> None:
    uses = re.findall(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", WORKFLOW.read_text(encoding="utf-8"), flags=re.M)
    assert len(uses) == 6
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), f"{action}: say which release the SHA is"


def test_a_deployment_is_never_cancelled_half_way() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert "concurrency" not in flow, "a workflow-wide cancel would cancel a running deployment too"
    assert flow["jobs"]["deploy"]["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert flow["jobs"]["build"]["concurrency"]["cancel-in-progress"] is True


def test_dependabot_watches_pip_npm_and_actions() -> None:
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    watched = {(u["package-ecosystem"], u["directory"]) for u in config["updates"]}
    assert watched == {("pip", "/"), ("npm", "/scripts/node"), ("github-actions", "/")}
    assert (REPO / "scripts" / "node" / "package-lock.json").is_file()
