"""The default theme ships with the package; a site overrides it file by file."""
from __future__ import annotations

from pathlib import Path

from helpers import THEME, override, run_build


def test_this_repository_holds_no_copy_of_the_theme() -> None:
    from helpers import REPO
    for folder in ("templates", "static"):
        assert sorted(p.name for p in (REPO / folder).iterdir()) == ["README.md"]
    assert (THEME / "templates" / "base.html").is_file() and (THEME / "static" / "reader.css").is_file()


def test_a_site_with_no_theme_folders_builds_with_the_default(project: Path) -> None:
    for folder in ("templates", "static"):
        for path in (project / folder).iterdir():
            path.unlink()
        (project / folder).rmdir()
    result = run_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    assert (project / "_site" / "static" / "reader.css").read_bytes() == (THEME / "static" / "reader.css").read_bytes()
    theme_static = sorted(p.name for p in (THEME / "static").iterdir())
    assert "reader.css" in theme_static
    assert sorted(p.name for p in (project / "_site" / "static").iterdir()) == theme_static


def test_one_overridden_template_and_static_file_win_and_the_rest_stays(built_project: Path) -> None:
    project = built_project
    article = project / "_site" / "articles" / "sige-dazhua.html"
    before = article.read_text(encoding="utf-8")
    # One template of the theme replaced: the cache must see it (the article pages use it).
    home = override(project, "templates/base.html")
    home.write_text(home.read_text(encoding="utf-8").replace("</body>", "<p id=\"site-footer\">本站自有页脚</p>\n</body>", 1),
                    encoding="utf-8")
    css = override(project, "static/reader.css")
    css.write_text(css.read_text(encoding="utf-8") + "\n/* site */\n", encoding="utf-8")
    (project / "static" / "logo.svg").write_text("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", encoding="utf-8")
    result = run_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    after = article.read_text(encoding="utf-8")
    assert 'id="site-footer"' in after and 'id="site-footer"' not in before
    assert after.replace('<p id="site-footer">本站自有页脚</p>\n', "") == before
    assert 'id="site-footer"' in (project / "_site" / "zh-hant" / "index.html").read_text(encoding="utf-8")
    site_static = project / "_site" / "static"
    assert (site_static / "reader.css").read_text(encoding="utf-8").endswith("/* site */\n")
    assert (site_static / "reader.js").read_bytes() == (THEME / "static" / "reader.js").read_bytes()
    theme_static = sorted(p.name for p in (THEME / "static").iterdir())
    assert sorted(p.name for p in site_static.iterdir()) == sorted(["logo.svg", *theme_static])   # no README
    # Removing the override brings the theme's page back, byte for byte.
    home.unlink()
    assert run_build(project).returncode == 0
    assert article.read_text(encoding="utf-8") == before


def test_a_site_template_can_extend_the_one_it_replaces(project: Path) -> None:
    (project / "templates" / "404.html").write_text(
        '{% extends "theme/404.html" %}\n{% block main %}<p id="own-404">找不到此页</p>{{ super() }}{% endblock %}\n',
        encoding="utf-8")
    result = run_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    page = (project / "_site" / "404.html").read_text(encoding="utf-8")
    theme_only = (THEME / "templates" / "404.html").read_text(encoding="utf-8")
    assert '<p id="own-404">找不到此页</p>' in page and "own-404" not in theme_only
