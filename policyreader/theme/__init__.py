"""The default theme (Jinja templates and static files), shipped with the package.

A site overrides it file by file: a file in the site's own ``templates/`` or ``static/`` with
the same relative name wins over the theme's. A site template may build on the one it
replaces through the ``theme/`` prefix (``{% extends "theme/base.html" %}``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

THEME_DIR = Path(__file__).resolve().parent
# Files in a site's theme folders that document the folder rather than belong to the site.
NOT_PUBLISHED = ("README.md",)


def _files(folder: Path) -> dict[str, Path]:
    """Every file under a folder by its relative name, skipping hidden files and the folder's README."""
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in name.split("/")) \
                and name not in NOT_PUBLISHED and "__pycache__" not in name:
            found[name] = path
    return found


@dataclass(frozen=True)
class Theme:
    """The theme a site builds with: the site's own folders over the package's."""

    site_templates: Path
    site_static: Path
    templates: Path = THEME_DIR / "templates"
    static: Path = THEME_DIR / "static"

    def loader(self) -> jinja2.BaseLoader:
        """Site templates first, then the theme's; ``theme/NAME`` always names the theme's own."""
        theme = jinja2.FileSystemLoader(self.templates)
        return jinja2.ChoiceLoader([jinja2.FileSystemLoader(self.site_templates), theme,
                                    jinja2.PrefixLoader({"theme": theme})])

    def template_files(self) -> dict[str, Path]:
        """Every template by name, after overrides (the site's own first in the search order)."""
        return {**_files(self.templates), **_files(self.site_templates)}

    def theme_templates(self) -> dict[str, Path]:
        """The package's own templates, reachable as ``theme/NAME``."""
        return _files(self.templates)

    def static_files(self) -> dict[str, Path]:
        """Every static file by its name under ``static/``, the site's own replacing the theme's."""
        return {**_files(self.static), **_files(self.site_static)}

    def folders(self) -> list[Path]:
        """The folders whose files make up the theme, for watching them."""
        return [p for p in (self.site_templates, self.site_static, self.templates, self.static) if p.is_dir()]
