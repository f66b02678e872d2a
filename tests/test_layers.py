"""The package's stages only import earlier stages: a newcomer can read it bottom-up."""
from __future__ import annotations

import ast
from pathlib import Path

from helpers import REPO

PACKAGE = REPO / "policyreader"
# Bottom to top, as the README's map lists them. A module may import its own stage or any
# earlier one, never a later one. The package's __init__ (its version) comes first.
STAGES = ["__init__", "errors", "text", "sources", "variants", "ingest", "markdown", "theme", "site", "checks",
          "output", "build", "scaffold", "cli", "__main__"]


def _stage(module: str) -> str:
    """``policyreader.site.pages`` → ``site``."""
    return module.split(".")[1] if "." in module else "__init__"


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every policyreader module a file imports, resolved to an absolute name, with its line."""
    own = "policyreader." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    package = own.split(".")[:-1] if path.name != "__init__.py" else own.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("policyreader"):
                found.append((node.lineno, name))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("policyreader")]
    return found


def test_every_module_belongs_to_a_known_stage() -> None:
    for path in PACKAGE.rglob("*.py"):
        first = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        assert first in STAGES, f"{path.relative_to(REPO)}: add its stage to STAGES and the README map"


def test_no_module_imports_a_later_stage() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        for line, name in _imports(path):
            target = _stage(name)
            if target in STAGES and STAGES.index(target) > STAGES.index(own):
                wrong.append(f"{path.relative_to(REPO)}:{line} ({own}) imports {name} ({target})")
    assert not wrong, "\n".join(wrong)


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The import resolver finds relative imports (so the test above can fail)."""
    assert ("policyreader.build.pipeline" in [n for _, n in _imports(PACKAGE / "cli.py")])
