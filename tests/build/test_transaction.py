"""Fault injection: a build killed, stopped, interrupted, out of disk or permission, doubled or
moved leaves the articles, ``_site/`` and ``dist/`` all as they were or all new, and the next
build leaves nothing behind.

Kills use the build's own test hook (POLICYREADER_FAULT=STEP: SIGKILL at a named step), so
every step of the commit is hit exactly; the disk fills on a real tmpfs in a private mount
namespace; permissions are real (as root, the build runs in a user namespace without the
power to override them).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import faultkit
from faultkit import change_inputs, leftovers, outputs, run_build
from helpers import REPO, copy_built
from policyreader.output.transaction import recover

GONGYE = "switch:site_src/articles/gongye-da-tupo.md"
# Every named step of a build, in order; from "journal" on, the build is committed.
STEPS = ["locked", "ingested", "rendered", "staged-articles", "staged-site", "staged-dist", "journal",
         f"{GONGYE}:out", f"{GONGYE}:in", "switch:site_src/articles/extra.md:out", "switch:site_src/articles/fresh.md:in",
         "switch:_site:out", "switch:_site:in", "switch:dist:out", "switch:dist:in", "switched", "committed", "done"]
COMMITTED_FROM = STEPS.index("journal")
FAULT = "POLICYREADER_FAULT"


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    """The project with a third small article, built: the "old" state of every test."""
    root = tmp_path_factory.mktemp("txn") / "project"
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "site_src", root / "site_src", ignore=shutil.ignore_patterns("articles"))
    for folder in ("templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    faultkit.add_extra_seed(root)
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="session")
def changed(template: Path, tmp_path_factory) -> Path:
    """The project after the change, built without faults."""
    root = tmp_path_factory.mktemp("txn-new") / "project"
    copy_built(template, root)
    change_inputs(root)
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="session")
def states(template: Path, changed: Path) -> dict[str, dict[str, bytes]]:
    """The outputs before and after the change."""
    old, new = outputs(template), outputs(changed)
    assert old != new and "site_src/articles/fresh.md" in new and "site_src/articles/extra.md" in old
    return {"old": old, "new": new}


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    """A copy of the built project with the change made, ready to build."""
    root = tmp_path / "project"
    copy_built(template, root)
    change_inputs(root)
    return root


@pytest.fixture
def warm_project(project: Path, changed: Path) -> Path:
    """The same, its cache already holding the changed seeds' work (content-addressed, so a
    hit is what a fresh build makes): each of the many killed builds then costs little."""
    for store in ("seeds", "objects"):
        shutil.copytree(changed / ".cache" / store, project / ".cache" / store, dirs_exist_ok=True,
                        copy_function=lambda src, dst: os.path.exists(dst) or shutil.copy2(src, dst))
    return project


def state_of(root: Path, states: dict) -> str:
    found = outputs(root)
    return next((name for name, files in states.items() if files == found), "mixed")


def assert_one_line(result: subprocess.CompletedProcess, *words: str) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if ": warning: " not in line]
    assert len(errors) == 1, result.stderr
    assert all(word in errors[0] for word in words), errors[0]
    return errors[0]


@pytest.mark.parametrize("step", STEPS)
def test_killed_at_any_step_all_old_or_all_new(warm_project: Path, states: dict, step: str) -> None:
    project = warm_project
    killed = run_build(project, env={FAULT: step})
    assert killed.returncode == -signal.SIGKILL, (step, killed.stderr)
    # What the next build does first (test_killed_mid_commit_then_built_again runs it whole).
    recover(project, project / ".cache", [project / "_site", project / "dist"], project / "site_src" / "articles")
    expected = "new" if STEPS.index(step) >= COMMITTED_FROM else "old"
    assert state_of(project, states) == expected
    assert leftovers(project) == []


def test_killed_mid_commit_then_built_again(project: Path, states: dict) -> None:
    assert run_build(project, env={FAULT: "switch:_site:out"}).returncode == -signal.SIGKILL
    assert not (project / "_site").exists()      # the one moment without a site: the journal knows
    result = run_build(project, quiet=False)
    assert result.returncode == 0, result.stderr
    assert "finished the commit of an interrupted build" in result.stdout
    assert state_of(project, states) == "new" and leftovers(project) == []


@pytest.mark.parametrize("step", ["journal", f"{GONGYE}:in", "switch:_site:in", "switch:dist:out"])
def test_a_failure_inside_the_commit_is_undone(warm_project: Path, states: dict, step: str) -> None:
    project = warm_project
    result = run_build(project, env={FAULT: f"{step}:fail"})
    assert result.returncode == 1
    assert_one_line(result, "input/output error")
    assert state_of(project, states) == "old" and leftovers(project) == []


def test_leftovers_of_older_builds_are_swept(project: Path, states: dict) -> None:
    for name in ("._site.old-4242", "._site.new-k3j2_x9a", ".dist.new-q1w2e3r4"):
        (project / name).mkdir()
        (project / name / "index.html").write_text("stale", encoding="utf-8")
    (project / "site_src/articles/.sige-dazhua.md.k3j2_x9a").write_text("half", encoding="utf-8")
    (project / ".cache/tmp-abc123").mkdir()
    (project / ".cache/building").touch()   # what every killed build leaves: the next one sweeps thoroughly
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert state_of(project, states) == "new" and leftovers(project) == []


def wait_stopped(process: subprocess.Popen) -> None:
    """Until the build has stopped itself at its step (SIGSTOP)."""
    for _ in range(600):
        if process.poll() is not None:
            raise AssertionError(process.communicate())
        with open(f"/proc/{process.pid}/stat", encoding="ascii") as handle:
            if handle.read().rsplit(")", 1)[1].split()[0] == "T":
                return
        time.sleep(0.05)
    raise AssertionError("the build never reached its step")


def popen_build(root: Path, step: str) -> subprocess.Popen:
    """The build, held at ``step``, with Ctrl+C as a terminal gives it: a process inherits an
    ignored or blocked SIGINT (the suite's worker may hold one from another test's library),
    and Python then leaves it so, as a shell's background job expects."""
    return subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root", str(root), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, FAULT: step},
                            preexec_fn=_terminal_ctrl_c)


def _terminal_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def test_two_builds_at_once(project: Path, states: dict) -> None:
    first = popen_build(project, "staged-site:stop")
    try:
        wait_stopped(first)
        second = run_build(project)
        assert second.returncode == 1
        assert_one_line(second, f".cache/build.lock: error: another build is running in this project "
                                f"(process {first.pid})")
    finally:
        first.send_signal(signal.SIGCONT)
    _, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    assert state_of(project, states) == "new" and leftovers(project) == []


def test_ctrl_c_while_staging_leaves_everything_old(project: Path, states: dict) -> None:
    build = popen_build(project, "staged-site:stop")
    wait_stopped(build)
    build.send_signal(signal.SIGINT)
    build.send_signal(signal.SIGCONT)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 130, (stderr, signal.getsignal(signal.SIGINT), signal.pthread_sigmask(signal.SIG_BLOCK, []))
    assert "Traceback" not in stderr
    assert state_of(project, states) == "old" and leftovers(project) == []


def processes_under(root: Path) -> list[int]:
    """Processes whose command line names this project (a build and its forked workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(root).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def test_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    root = tmp_path / "many"
    shutil.copytree(REPO / "site_src", root / "site_src", ignore=shutil.ignore_patterns("articles"))
    for folder in ("templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "seeds").mkdir()
    text = (REPO / "seeds" / "003_c2d4cca183c9bd68.txt").read_text(encoding="utf-8")
    for number in range(14):   # enough to build in a process pool
        (root / "seeds" / f"s{number:02}.txt").write_text(f"# 文章{number}\n\n" + text[:3000] + f"\n\n第{number}篇。\n",
                                                        encoding="utf-8")
    killed = run_build(root, env={FAULT: "pool"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    for _ in range(100):
        if not processes_under(root):
            break
        time.sleep(0.05)
    assert processes_under(root) == [], "pool workers outlived the killed build"


def as_plain_user() -> list[str]:
    """A prefix that runs a command without root's power over permissions (a user namespace)."""
    if os.geteuid() != 0:
        return []
    if subprocess.run(["unshare", "-U", "true"], capture_output=True).returncode != 0:
        pytest.skip("user namespaces are not available to drop root's power over permissions")
    return ["unshare", "-U"]


def read_only(path: Path) -> None:
    for folder, _, files in os.walk(path):
        for name in files:
            os.chmod(os.path.join(folder, name), 0o444)
        os.chmod(folder, 0o555)


@pytest.mark.parametrize("what, outcome", [("site_src/articles", "old"), (".", "old"), ("_site", "new"), ("dist", "new")])
def test_read_only_outputs(project: Path, states: dict, what: str, outcome: str) -> None:
    target = project / what
    if what == ".":
        target.chmod(0o555)
    else:
        read_only(target)
    try:
        result = subprocess.run([*as_plain_user(), sys.executable, str(REPO / "build.py"), "--root", str(project), "-q"],
                                capture_output=True, text=True, timeout=120)
    finally:
        for folder, _, _ in os.walk(project):
            os.chmod(folder, 0o755)
    if outcome == "old":
        assert result.returncode == 1
        line = assert_one_line(result, "permission denied")
        assert line.startswith(("site_src/articles/", "_site: error: cannot write its new version")), line
    else:
        assert result.returncode == 0, result.stderr
    assert state_of(project, states) == outcome and leftovers(project) == []


@pytest.mark.parametrize("free", [0, 64 * 1024, 1024 * 1024])
def test_disk_full(template: Path, states: dict, free: int) -> None:
    if subprocess.run(["unshare", "-Urm", "true"], capture_output=True).returncode != 0:
        pytest.skip("no private mount namespace for a small tmpfs")
    # The tmpfs lives in the helper's own mount namespace and disappears with it.
    done = subprocess.run(["unshare", "-Urm", sys.executable, str(Path(faultkit.__file__)), str(template), str(free)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert "Traceback" not in found["stderr"]
    assert found["returncode"] == 1, found
    errors = [line for line in found["stderr"].splitlines() if ": warning: " not in line]
    assert len(errors) == 1 and "no space left on the disk" in errors[0], found["stderr"]
    assert found["unchanged"] and found["leftovers"] == []
    assert found["again_returncode"] == 0, found["again_stderr"]
    assert found["again_leftovers"] == [] and found["again_outputs"] == faultkit.digest(states["new"])


def test_a_moved_checkout_builds_in_its_new_place(template: Path, states: dict, tmp_path: Path) -> None:
    first = tmp_path / "site1"
    copy_built(template, first)
    moved = tmp_path / "site2"
    first.rename(moved)
    change_inputs(moved)
    result = run_build(moved, quiet=False)
    assert result.returncode == 0, result.stderr
    assert "2 built, 1 from cache" in result.stdout      # the cache moved along and still serves
    assert not first.exists(), "the build wrote under the checkout's old path"
    assert state_of(moved, states) == "new" and leftovers(moved) == []


def test_a_copied_checkout_leaves_the_original_alone(template: Path, states: dict, tmp_path: Path) -> None:
    original = tmp_path / "site1"
    copy_built(template, original)
    stamps = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in original.rglob("*") if p.is_file()}
    copy = tmp_path / "site3"
    copy_built(original, copy)   # as a user copies a checkout: the cache comes along
    change_inputs(copy)
    result = run_build(copy)
    assert result.returncode == 0, result.stderr
    assert state_of(copy, states) == "new" and leftovers(copy) == []
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in original.rglob("*") if p.is_file()} == stamps


def test_the_ingest_command_commits_its_articles_at_once(project: Path, states: dict) -> None:
    killed = run_build(project, "ingest", env={FAULT: f"{GONGYE}:in"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    recover(project, project / ".cache", [project / "_site", project / "dist"], project / "site_src" / "articles")
    found = outputs(project)
    articles = {k: v for k, v in found.items() if k.startswith("site_src/articles/")}
    assert articles == {k: v for k, v in states["new"].items() if k.startswith("site_src/articles/")}
    assert {k: v for k, v in found.items() if k not in articles} == {
        k: v for k, v in states["old"].items() if not k.startswith("site_src/articles/")}   # ingest leaves the site
    assert leftovers(project) == []
