"""``--strict`` fails on an article that would go out with placeholder metadata."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run_build

SEED = "000_c77db80417356711"


def test_a_seed_without_sidecar_warns_and_fails_strict(project: Path) -> None:
    (project / "seeds" / f"{SEED}.yaml").unlink()
    # Without a sidecar or a heading the title falls back to the file name.
    (project / "seeds" / "011_new.txt").write_text("主持人：这是一段没有标题的文字。\n", encoding="utf-8")
    relaxed = run_build(project)
    assert relaxed.returncode == 0, relaxed.stderr
    assert ("seeds/011_new.txt: warning: placeholder metadata: the title is the file name '011_new', no date, "
            "no source; set title, date (YYYY-MM-DD), source in seeds/011_new.yaml (a new sidecar)") in relaxed.stderr
    assert "title: 011_new" in (project / "site_src" / "articles" / "011-new.md").read_text(encoding="utf-8")
    strict = run_build(project, "--strict")
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    errors = [l for l in strict.stderr.splitlines() if ": error: " in l]
    # The seed whose title came from its heading still lacks a date and a source.
    assert sorted(l.split(":")[0] for l in errors) == [f"seeds/{SEED}.txt", "seeds/011_new.txt"]


@pytest.mark.parametrize("drop, missing", [("date", "no date"), ("source", "no source")])
def test_a_sidecar_without_date_or_source_fails_strict(project: Path, drop: str, missing: str) -> None:
    sidecar = project / "seeds" / f"{SEED}.yaml"
    lines = sidecar.read_text(encoding="utf-8").splitlines(keepends=True)
    sidecar.write_text("".join(l for l in lines if not l.startswith((f"{drop}:", "date_note:" if drop == "date" else "~"))),
                       encoding="utf-8")
    strict = run_build(project, "--strict")
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[0] == (f"seeds/{SEED}.yaml: error: placeholder metadata: {missing}; set "
                                             f"{'date (YYYY-MM-DD)' if drop == 'date' else 'source'} in seeds/{SEED}.yaml")
