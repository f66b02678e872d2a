"""Scripts: OpenCC with the site's overrides chained in, phrase-aware conversion, config checks."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyreader.sources.config import VariantSpec, load_config
from policyreader.errors import BuildError
from policyreader.variants.convert import Converter, ambiguous_characters, load_overrides

HANT = VariantSpec("zh-Hant", "繁體", "s2tw", "zh-hant")
HANS = VariantSpec("zh-Hans", "简体", None, "")


def test_stock_opencc_gets_xin_zhengcheng_wrong_and_our_override_fixes_it(tmp_path: Path) -> None:
    stock = Converter(HANT, {}, tmp_path)
    ours = Converter(HANT, {"新征程": "新征程"}, tmp_path)
    text = "新时代新征程上，发展新质生产力"
    assert stock.convert(text) == "新時代新徵程上，發展新質生產力"
    assert ours.convert(text) == "新時代新征程上，發展新質生產力"
    assert ours.used["新征程"] == 1


def test_override_wins_over_opencc_segmentation(tmp_path: Path) -> None:
    # OpenCC segments 更多采用 as 更/多采/用; only an override in segmentation too can win.
    assert Converter(HANT, {}, tmp_path).convert("更多采用提醒") == "更多采用提醒"
    assert Converter(HANT, {"多采用": "多採用"}, tmp_path).convert("更多采用提醒") == "更多採用提醒"


def test_parts_convert_as_one_phrase(tmp_path: Path) -> None:
    converter = Converter(HANT, {"新征程": "新征程"}, tmp_path)
    assert converter.convert_parts(["新时代新", "征程上，推进", "富矿精开"]) == ["新時代新", "征程上，推進", "富礦精開"]


def test_the_written_script_is_left_alone(tmp_path: Path) -> None:
    converter = Converter(HANS, {}, tmp_path)
    assert converter.convert("发展") == "发展"
    assert converter.convert_parts(["发", "展"]) == ["发", "展"]


def test_ambiguous_characters_come_from_opencc() -> None:
    table = ambiguous_characters()
    assert set(table["征"]) == {"徵", "征"} and "髮" in table["发"]
    assert "东" not in table


@pytest.mark.parametrize("text, line, reason", [
    ("all:\n  新征程: 新征程\nzh-XX:\n  a: b\n", 3, "unknown variant 'zh-XX'"),
    ("all: [x]\n", 1, "must map phrases"),
    ("all:\n  abc: 新\n", 2, "must map Chinese text"),
])
def test_bad_override_files(tmp_path: Path, text: str, line: int, reason: str) -> None:
    path = tmp_path / "conversion.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        load_overrides(path, "site_src/conversion.yaml", ["zh-Hans", "zh-Hant"])
    assert str(caught.value).startswith(f"site_src/conversion.yaml:{line}: error: ")
    assert reason in str(caught.value)


def test_site_yaml_variants_allow_a_hong_kong_edition(project: Path) -> None:
    site = project / "site_src" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "  - {lang: zh-HK, label: 香港, opencc: s2hk}\n", encoding="utf-8")
    config = load_config(project)
    assert [(v.lang, v.folder, v.opencc) for v in config.variants] == [
        ("zh-Hans", "", None), ("zh-Hant", "zh-hant", "s2tw"), ("zh-HK", "zh-hk", "s2hk")]


@pytest.mark.parametrize("variants, reason", [
    ("  - {lang: zh-Hans, label: 简体, opencc: s2t}\n", "the first variant is the script as written"),
    ("  - {lang: zh-Hans, label: 简体}\n  - {lang: zh-Hant, label: 繁體}\n", "needs an OpenCC config"),
    ("  - {lang: english, label: E}\n", "must be a Chinese BCP 47 tag"),
])
def test_bad_variants(project: Path, variants: str, reason: str) -> None:
    site = project / "site_src" / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(text[:text.index("variants:")] + "variants:\n" + variants, encoding="utf-8")
    with pytest.raises(BuildError, match=reason):
        load_config(project)


def test_check_command_reviews_conversions_and_writes_nothing(project: Path) -> None:
    from helpers import run_build
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if ".cache" not in p.parts)
    result = run_build(project, "check", "--all", "--full")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "zh-Hant (s2tw):" in out
    # the override at work (the glossary's own 征收, 特征 make 徵 the commoner form site-wide)
    assert re.search(r"征 → (征 ×\d+|徵 ×\d+, 征 ×\d+)", out) and "新征程 → 新征程" in out
    assert "特征的 → 特徵的" in out                            # OpenCC's own choice, listed for review
    assert "(OpenCC forms: 徵/征)" in out
    after = sorted(p.relative_to(project).as_posix() for p in project.rglob("*") if ".cache" not in p.parts)
    assert after == before


TAIWAN = VariantSpec("zh-Hant", "繁體", "s2tw", "zh-hant", corner_quotes=True)


def test_taiwan_writes_corner_brackets_for_quotation_marks_but_keeps_apostrophes(tmp_path: Path) -> None:
    converter = Converter(TAIWAN, {}, tmp_path)
    assert converter.convert("“富矿精开”‘强省’") == "「富礦精開」『強省』"
    assert converter.convert("Xi’s “新质生产力”") == "Xi’s 「新質生產力」"
    assert converter.convert_parts(["推进“", "富矿精开", "”以来"]) == ["推進「", "富礦精開", "」以來"]
    assert converter.convert("“AI”") == "「AI」"            # no Han character: still converted
    assert Converter(HANT, {}, tmp_path).convert("“富矿”") == "“富礦”"   # the option is off


def test_general_fixes_in_conversion_yaml(tmp_path: Path) -> None:
    """The site's general fixes (site_src/conversion.yaml) mend what s2tw gets wrong in any text."""
    from helpers import REPO
    tables, _ = load_overrides(REPO / "site_src" / "conversion.yaml", "site_src/conversion.yaml", ["zh-Hans", "zh-Hant"])
    stock, ours = Converter(HANT, {}, tmp_path), Converter(HANT, tables["general"], tmp_path)
    for text, wrong, right in [("坚持一个中国原则", "堅持一箇中國原則", "堅持一個中國原則"),
                               ("建设一个中心", "建設一箇中心", "建設一個中心"),
                               ("养了20只羊", "養了20只羊", "養了20隻羊"),
                               ("编制规划", "編制規劃", "編製規劃")]:
        assert stock.convert(text) == wrong and ours.convert(text) == right
    assert ours.convert("只有一个中间环节") == "只有一個中間環節"   # the adverb 只 and 一個 stay


def test_corner_quotes_option_in_site_yaml(tmp_path: Path) -> None:
    (tmp_path / "site_src").mkdir()
    site = tmp_path / "site_src" / "site.yaml"
    site.write_text("title: T\nname: t\nvariants:\n  - {lang: zh-Hans, label: 简}\n  - {lang: zh-Hant, label: 繁, opencc: s2tw}\n"
                    "  - {lang: zh-HK, label: 港, opencc: s2hk}\n", encoding="utf-8")
    assert [v.corner_quotes for v in load_config(tmp_path).variants] == [False, True, False]
    site.write_text(site.read_text(encoding="utf-8").replace("opencc: s2tw}", "opencc: s2tw, corner_quotes: false}"), encoding="utf-8")
    assert [v.corner_quotes for v in load_config(tmp_path).variants] == [False, False, False]
    site.write_text("title: T\nname: t\nvariants:\n  - {lang: zh-Hans, label: 简, corner_quotes: true}\n", encoding="utf-8")
    with pytest.raises(BuildError, match="corner_quotes needs a converted script"):
        load_config(tmp_path)


def test_interface_strings_take_the_screen_words_of_taiwan_but_articles_do_not(tmp_path: Path) -> None:
    from policyreader.site.interface import interface_for
    converter = Converter(TAIWAN, {}, tmp_path)
    interface = interface_for(converter)
    assert [interface.text(s) for s in ("搜索", "打印本页", "数据", "阅读设置", "“本文术语”")] == \
        ["搜尋", "列印本頁", "資料", "閱讀設定", "「本文術語」"]
    assert converter.convert("数据中心") == "數據中心", "article text keeps the paper's words"
    assert interface_for(Converter(HANS, {}, tmp_path)).text("搜索") == "搜索"
