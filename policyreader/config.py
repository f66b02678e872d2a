"""The one configuration object: where everything lives and what the site is called."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError
from .yamlfile import LineDict, read_yaml

SAFE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Keys site.yaml may hold, with a short description for error messages and docs.
SITE_KEYS = {
    "title": "the site's title, shown on every page",
    "name": "ASCII name used for the offline zip",
    "description": "one sentence about the site",
}


@dataclass(frozen=True)
class Config:
    """Paths and site settings, built once from the project root and ``site_src/site.yaml``."""

    root: Path
    title: str
    name: str
    description: str

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def src_dir(self) -> Path:
        return self.root / "site_src"

    @property
    def articles_dir(self) -> Path:
        return self.src_dir / "articles"

    @property
    def glossary_path(self) -> Path:
        return self.src_dir / "glossary.yaml"

    @property
    def site_yaml(self) -> Path:
        return self.src_dir / "site.yaml"

    @property
    def site_dir(self) -> Path:
        return self.root / "_site"

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    def rel(self, path: Path) -> str:
        """A path as shown in messages: relative to the project root where possible."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def load_config(root: Path) -> Config:
    """Read ``site_src/site.yaml`` under ``root`` and validate it."""
    root = root.resolve()
    path = root / "site_src" / "site.yaml"
    shown = "site_src/site.yaml"
    if not path.is_file():
        raise BuildError(shown, None, f"missing: no site configuration under {root}")
    data = read_yaml(path, shown)
    if not isinstance(data, LineDict):
        raise BuildError(shown, None, "must be a mapping of settings")
    for key in data:
        if key not in SITE_KEYS:
            known = ", ".join(SITE_KEYS)
            raise BuildError(shown, data.line_of(key), f"unknown key {key!r} (known: {known})")
    for key in ("title", "name"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise BuildError(shown, data.line_of(key), f"{key!r} must be a non-empty string")
    if not SAFE_NAME.match(data["name"]):
        raise BuildError(shown, data.line_of("name"),
                         f"name {data['name']!r} must be lowercase ASCII letters, digits and hyphens")
    return Config(root=root, title=data["title"].strip(), name=data["name"],
                  description=str(data.get("description", "")).strip())
