"""The engine installs with pip into a fresh venv, and its command makes and builds new sites."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from helpers import REPO, THEME


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh venv with ``pip install .`` of this checkout. It sees the system's packages, so
    the dependencies are not downloaded again (``--no-deps``); the package itself is built and
    installed as any user would."""
    folder = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(folder)], check=True, timeout=120)
    source = tmp_path_factory.mktemp("src") / "policyreader"
    # Built from a copy, so the checkout gets no build/ or *.egg-info folders.
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", ".cache", "_site", "dist", "node_modules",
                                                                "test-output", "__pycache__", "benchmarks"))
    result = subprocess.run([str(folder / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps",
                             "--disable-pip-version-check", str(source)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return folder


def run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed ``policyreader`` command, run in a folder outside this checkout."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(venv / "bin" / "policyreader"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_installed_package_is_not_this_checkout(venv: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import policyreader; print(policyreader.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert str(venv) in where.stdout, where.stdout + where.stderr
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in version["project"]["dynamic"]
    for command in ([str(venv / "bin" / "policyreader"), "--version"],
                    [str(venv / "bin" / "python"), "-m", "policyreader", "--version"]):
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and result.stdout.startswith("policyreader 0."), result.stderr


def test_new_site_builds_at_once_in_the_current_folder(venv: Path, tmp_path: Path) -> None:
    made = run(venv, "new", "reader", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    site = tmp_path / "reader"
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert files == [".gitignore", "seeds/sample.txt", "seeds/sample.yaml", "site_src/conversion.yaml",
                     "site_src/glossary.yaml", "site_src/site.yaml", "static/README.md", "templates/README.md"]
    built = run(venv, "build", "--strict", cwd=site)   # no --root: the current folder
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""
    page = (site / "_site" / "articles" / "sample.html").read_text(encoding="utf-8")
    assert 'data-term="jianti-zi"' in page and 'role="tooltip"' in page
    assert '<html lang="zh-Hant"' in (site / "_site" / "zh-hant" / "articles" / "sample.html").read_text(encoding="utf-8")
    assert (site / "_site" / "static" / "reader.css").read_bytes() == (THEME / "static" / "reader.css").read_bytes()
    [archive] = (site / "dist").glob("reader-*.zip")
    with zipfile.ZipFile(archive) as bundle:
        assert any(name.endswith("/index.html") for name in bundle.namelist())
    assert not (site / "templates" / "base.html").exists(), "the theme stays in the package"


def test_new_refuses_a_folder_that_holds_files(venv: Path, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run(venv, "new", "taken", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"{tmp_path / 'taken'}: error: exists and is not an empty folder; "
                                                  "give a new folder's name"]
    assert sorted(p.name for p in (tmp_path / "taken").iterdir()) == ["notes.txt"]


def test_the_installed_engine_builds_this_repository_with_a_theme_file_overridden(venv: Path, project: Path) -> None:
    css = project / "static" / "reader.css"
    css.write_text((THEME / "static" / "reader.css").read_text(encoding="utf-8") + "\n.site-own { color: teal; }\n",
                   encoding="utf-8")
    result = run(venv, "--strict", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "_site" / "static" / "reader.css").read_text(encoding="utf-8").endswith(".site-own { color: teal; }\n")
    assert (project / "_site" / "static" / "reader.js").read_bytes() == (THEME / "static" / "reader.js").read_bytes()
    assert (project / "_site" / "articles" / "sige-dazhua.html").is_file()
