"""``policyreader new DIR``: a new site that builds at once (one sample article, a small glossary).

The site holds its inputs only; the theme stays in the package, so a new site has empty
``templates/`` and ``static/`` folders, each with a README saying how to override the theme.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from ..errors import BuildError
from ..text.names import SAFE_NAME

SKELETON = Path(__file__).resolve().parent / "site"
# Package data cannot reliably carry dotfiles, so they are stored without the dot.
RENAMED = {"gitignore": ".gitignore"}


def site_name(folder: Path) -> str:
    """An ASCII name for the zip from the folder's name (lowercase, hyphens), or a default."""
    name = re.sub(r"[^a-z0-9]+", "-", folder.name.lower()).strip("-")
    return name if SAFE_NAME.match(name) else "policy-reader"


def scaffold(target: Path, title: str = "政策读本", today: dt.date | None = None) -> list[Path]:
    """Write a new site into ``target`` (missing or empty); returns the files written."""
    target = target.resolve()
    shown = str(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BuildError(shown, None, "exists and is not an empty folder; give a new folder's name")
    # A JSON string is a YAML scalar whatever the title holds (colons, quotes).
    values = {"title": json.dumps(title, ensure_ascii=False), "name": site_name(target), "date": (today or dt.date.today()).isoformat()}
    written = []
    for source in sorted(SKELETON.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        relative = source.relative_to(SKELETON)
        path = target / relative.parent / RENAMED.get(relative.name, relative.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source.read_text(encoding="utf-8").format(**values), encoding="utf-8")
        written.append(path)
    return written
