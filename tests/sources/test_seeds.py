"""Reading seeds: decoding, sidecars and fixes, on small made-up inputs."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from policyreader.sources.config import load_config
from policyreader.errors import BuildError, Report
from policyreader.sources.seeds import apply_fixes, decode, load_sidecar, read_seed

TEXT = "编者按\n\n推进富矿精开工作。\n"


def test_utf8_bom_and_crlf_decode_to_the_same_text() -> None:
    report = Report()
    plain, _ = decode(TEXT.encode(), "a.txt", report)
    bom_crlf, encoding = decode(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode(), "a.txt", report)
    assert bom_crlf == plain
    assert encoding == "utf-8-sig"
    assert report.warnings == []


def test_gb18030_decodes_with_a_warning_naming_the_file() -> None:
    report = Report()
    text, encoding = decode(TEXT.encode("gb18030"), "seeds/a.txt", report)
    assert text == TEXT and encoding == "gb18030"
    assert len(report.warnings) == 1
    assert "GB18030" in report.warnings[0].format("warning")
    assert report.warnings[0].path == "seeds/a.txt"


def test_undecodable_bytes_name_the_line() -> None:
    data = "第一行\n第二行\n".encode() + b"\xff\xfe\x00garbage\n"
    with pytest.raises(BuildError) as caught:
        decode(data, "seeds/bad.txt", Report())
    assert str(caught.value).startswith("seeds/bad.txt:3: error: undecodable bytes")


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t\n", "\u3000\n".encode()])
def test_empty_seed_is_an_error(data: bytes) -> None:
    with pytest.raises(BuildError, match="empty seed"):
        decode(data, "seeds/empty.txt", Report())


def test_control_character_is_an_error_with_line() -> None:
    with pytest.raises(BuildError) as caught:
        decode("一\n二\x00\n".encode(), "s.txt", Report())
    assert caught.value.problem.line == 2


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_sidecar_keys_are_read(tmp_path: Path) -> None:
    sidecar = load_sidecar(write(tmp_path / "a.yaml", "slug: ok-1\ntitle: 标题\ndate: 2026-01-20\n"
                                 "source: 贵州日报\nfixes:\n  - {find: 甲, replace: 乙}\n"), "a.yaml")
    assert (sidecar.slug, sidecar.title, sidecar.date, sidecar.source) == ("ok-1", "标题", dt.date(2026, 1, 20), "贵州日报")
    assert sidecar.fixes[0].find == "甲" and sidecar.fixes[0].sidecar_line == 6


def test_provenance_keys_are_read(tmp_path: Path) -> None:
    sidecar = load_sidecar(write(tmp_path / "a.yaml", "edition: 第3版\nurl: https://example.org/a.html\n"
                                 "retrieved: 2026-02-01\n"), "a.yaml")
    assert (sidecar.edition, sidecar.url, sidecar.retrieved) == ("第3版", "https://example.org/a.html", dt.date(2026, 2, 1))


def test_missing_sidecar_is_empty(tmp_path: Path) -> None:
    sidecar = load_sidecar(tmp_path / "none.yaml", "none.yaml")
    assert sidecar.path is None and sidecar.slug is None and sidecar.fixes == ()


@pytest.mark.parametrize("text, line, reason", [
    ("slug: [unclosed\n", 2, "not valid YAML"),
    ("title: 好\nslgu: x\n", 2, "unknown key 'slgu'"),
    ("slug: ../x\n", 1, "not a safe ASCII name"),
    ("slug: 中文\n", 1, "not a safe ASCII name"),
    ("date: 2026年1月\n", 1, "must be YYYY-MM-DD"),
    ("fixes:\n  - {find: 甲}\n", 2, "string 'replace'"),
    ("fixes:\n  - {find: 甲, replace: 甲}\n", 2, "does nothing"),
    ("fixes: 甲\n", 1, "must be a list"),
    ("- a\n- b\n", 1, "must be a mapping"),
    ("title: a\ntitle: b\n", 2, "duplicate key"),
    ("url: example.org/a\n", 1, "must be an http(s) address"),
    ("retrieved: 2月1日\n", 1, "retrieved"),
])
def test_bad_sidecars_are_one_line_errors(tmp_path: Path, text: str, line: int, reason: str) -> None:
    with pytest.raises(BuildError) as caught:
        load_sidecar(write(tmp_path / "s.yaml", text), "seeds/s.yaml")
    message = str(caught.value)
    assert message.startswith(f"seeds/s.yaml:{line}: error: "), message
    assert reason in message
    assert "\n" not in message


def test_fixes_apply_exactly_once(tmp_path: Path) -> None:
    sidecar = load_sidecar(write(tmp_path / "s.yaml", "fixes:\n  - {find: 乙丙, replace: 乙}\n"), "s.yaml")
    text, applied = apply_fixes("甲\n乙丙丁\n", sidecar.fixes, "s.yaml")
    assert text == "甲\n乙丁\n"
    assert applied[0].seed_line == 2


@pytest.mark.parametrize("seed_text, count", [("甲乙", "does not match"), ("丙丙", "matches 2 times")])
def test_fix_that_does_not_match_once_is_an_error(tmp_path: Path, seed_text: str, count: str) -> None:
    sidecar = load_sidecar(write(tmp_path / "s.yaml", "title: t\nfixes:\n  - find: 丙\n    replace: 丁\n"), "seeds/s.yaml")
    with pytest.raises(BuildError) as caught:
        apply_fixes(seed_text, sidecar.fixes, "seeds/s.yaml")
    assert str(caught.value).startswith("seeds/s.yaml:3: error: fix '丙' " + count)


def test_read_seed_applies_sidecar_fixes(project: Path) -> None:
    config = load_config(project)
    write(project / "seeds" / "x.txt", "甲乙丙。\n")
    write(project / "seeds" / "x.yaml", "fixes:\n  - {find: 乙, replace: 丁}\n")
    seed = read_seed(project / "seeds" / "x.txt", config, Report())
    assert seed.text == "甲丁丙。\n"
    assert seed.shown == "seeds/x.txt" and seed.sidecar_shown == "seeds/x.yaml"
