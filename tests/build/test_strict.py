"""``--strict`` (CI) fails on every kind of problem the build only warns about otherwise.

Glossary-wide findings (an entry no article uses) are notes, not warnings, so strict lets them
pass: tests/sources/test_glossary.py covers them."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import add_override, override, run_build


def break_link(root: Path) -> str:
    path = override(root, "templates/404.html")
    path.write_text(path.read_text(encoding="utf-8").replace("{% endblock %}\n{% block main %}",
                    "{% endblock %}\n{% block main %}\n<a href=\"nowhere.html\">x</a>", 1), encoding="utf-8")
    return "_site/404.html:"


def break_anchor(root: Path) -> str:
    path = override(root, "templates/search.html")
    path.write_text(path.read_text(encoding="utf-8").replace('<div id="results"', '<a href="#nope">x</a><div id="results"'),
                    encoding="utf-8")
    return "broken anchor '#nope'"


def unmatched_override(root: Path) -> str:
    add_override(root, "从未出现的词", "從未出現的詞")
    return "override '从未出现的词' never matched"


def page_without_lang(root: Path) -> str:
    path = override(root, "templates/base.html")
    path.write_text(path.read_text(encoding="utf-8").replace('<html lang="{{ variant.lang }}">', "<html>"), encoding="utf-8")
    return "page has no <html lang>"


@pytest.mark.parametrize("damage", [break_link, break_anchor, unmatched_override, page_without_lang])
def test_warning_without_strict_error_with_strict(project: Path, damage) -> None:
    expected = damage(project)
    relaxed = run_build(project)
    assert relaxed.returncode == 0, relaxed.stderr
    assert expected in relaxed.stderr and "warning" in relaxed.stderr
    strict = run_build(project, "--strict")
    assert strict.returncode == 1
    problems = [l for l in strict.stderr.splitlines() if ": error: " in l]
    assert problems and all(l.split(":")[1].isdigit() for l in problems), problems
    assert any(expected in l for l in problems)
    assert "Traceback" not in strict.stderr


def test_the_real_site_passes_strict(project: Path) -> None:
    result = run_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
