"""Matching terms as a reader finds them: longest first, quotes, blockers, segmentation at the edges."""
from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from policyreader.text.matcher import Blocker, Matcher, strip_quotes
from policyreader.text.words import crossing_words


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(text[s:e], i) for s, e, i in matcher.find(text)]


def reference(text: str, forms: dict[str, str]) -> list[tuple[int, int, str]]:
    """Longest first, then leftmost, never overlapping: the obvious quadratic way."""
    candidates = sorted((-len(f), i, f) for f in forms for i in range(len(text)) if text.startswith(f, i))
    taken: set[int] = set()
    out = []
    for negative, start, form in candidates:
        span = set(range(start, start - negative))
        if not span & taken:
            taken |= span
            out.append((start, start - negative, forms[form]))
    return sorted(out)


HAN = st.sampled_from(list("东数西算富矿精开新质生产力数据要素"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(HAN, min_size=1, max_size=5), min_size=1, max_size=12, unique=True), st.text(HAN, max_size=80))
def test_matcher_equals_the_reference_longest_first(forms: list[str], text: str) -> None:
    mapping = {form: f"id{n}" for n, form in enumerate(forms)}
    assert Matcher(mapping).find(text) == reference(text, mapping)


def test_a_longer_form_is_never_split_by_a_shorter_one() -> None:
    matcher = Matcher({"数据": "a", "据要素": "b", "国家数据要素综合试验区": "c", "数据要素": "d"})
    assert found(matcher, "数据要素") == [("数据要素", "d")]
    assert found(matcher, "国家数据要素综合试验区") == [("国家数据要素综合试验区", "c")]
    assert found(Matcher({"数据": "a", "据要素": "b"}), "数据要素") == [("据要素", "b")]


QUOTED = Matcher({"四个全面": "sige", "四个全面战略布局": "buju", "内卷式竞争": "neijuan", "乡村振兴": "xiangcun"},
                 quotes=True)


def test_a_term_in_quotation_marks_is_found() -> None:
    assert found(QUOTED, "协调推进“四个全面”，") == [("四个全面", "sige")]
    assert found(QUOTED, "「四个全面」") == [("四个全面", "sige")]


def test_a_longer_form_is_found_across_quotation_marks_and_takes_the_whole_quotation() -> None:
    assert found(QUOTED, "协调推进“四个全面”战略布局") == [("“四个全面”战略布局", "buju")]
    assert found(QUOTED, "整治“内卷式”竞争") == [("“内卷式”竞争", "neijuan")]
    assert found(QUOTED, '整治"内卷式"竞争') == [('"内卷式"竞争', "neijuan")]


def test_a_form_written_with_quotes_finds_the_unquoted_text_too() -> None:
    matcher = Matcher({"“内卷式”竞争": "neijuan"}, quotes=True)
    assert found(matcher, "整治内卷式竞争") == [("内卷式竞争", "neijuan")]
    assert found(matcher, "整治“内卷式”竞争") == [("“内卷式”竞争", "neijuan")]
    assert strip_quotes("“内卷式”竞争") == "内卷式竞争"


def test_a_match_never_holds_half_a_quotation() -> None:
    # 振兴“新 … would hold the opening of one quotation only.
    matcher = Matcher({"振兴新": "x"}, quotes=True)
    assert found(matcher, "乡村振兴“新时代”") == []
    assert found(matcher, "“乡村振兴”“新时代”") == []


def test_quotes_are_marks_only_where_asked() -> None:
    assert found(Matcher({"四个全面战略": "x"}), "“四个全面”战略") == []


def test_a_blocker_keeps_a_form_out_of_a_longer_word_it_cuts() -> None:
    matcher = Matcher({"民生": "minsheng", "三保": "sanbao"},
                      [Blocker("国民生产", frozenset({(1, 2)})), Blocker("三保障", frozenset({(0, 2)}))])
    assert found(matcher, "国民生产总值增长，民生改善") == [("民生", "minsheng")]
    assert found(matcher, "实现三保障，兜牢三保底线") == [("三保", "sanbao")]


SEGMENTED_FORMS = {"新发展理念": "linian", "工业倍增行动": "beizeng", "战略性新兴产业": "xinxing", "数字经济": "shuzi",
                   "高质量发展": "gaozhiliang", "脱贫攻坚": "tuopin", "全会": "quanhui", "民生": "minsheng",
                   "扶贫": "fupin"}
SEGMENTED = Matcher(SEGMENTED_FORMS, quotes=True, crossers=crossing_words(list(SEGMENTED_FORMS), 300))


def test_no_match_where_the_sentence_reads_another_word_across_the_edge() -> None:
    assert found(SEGMENTED, "坚持创新发展理念") == []               # 创新|发展理念
    assert found(SEGMENTED, "着力提高质量发展水平") == []           # 提高质量|发展
    assert found(SEGMENTED, "国家安全会议") == []                   # 安全|会议
    assert found(SEGMENTED, "国民生产总值") == []                   # 国民|生产
    assert found(SEGMENTED, "完整、准确、全面贯彻新发展理念") == [("新发展理念", "linian")]


def test_a_common_word_across_the_edge_does_not_hide_a_term_the_sentence_reads() -> None:
    assert found(SEGMENTED, "深入实施工业倍增行动") == [("工业倍增行动", "beizeng")]     # not 施工
    assert found(SEGMENTED, "培育壮大战略性新兴产业") == [("战略性新兴产业", "xinxing")]  # not 大战
    assert found(SEGMENTED, "又为数字经济长远发展筑牢根基") == [("数字经济", "shuzi")]      # not 为数
    assert found(SEGMENTED, "推动高质量发展") == [("高质量发展", "gaozhiliang")]
    assert found(SEGMENTED, "党的二十届四中全会") == [("全会", "quanhui")]
    assert found(SEGMENTED, "推进精准扶贫") == [("扶贫", "fupin")]


def test_a_word_that_grows_from_the_terms_last_part_keeps_the_term() -> None:
    assert found(SEGMENTED, "打赢脱贫攻坚战") == [("脱贫攻坚", "tuopin")]      # 脱贫|攻坚战


def test_a_quotation_mark_settles_an_edge() -> None:
    assert found(SEGMENTED, "坚持创“新发展理念”") == [("新发展理念", "linian")]


def test_marking_stays_linear_in_the_length_of_the_text() -> None:
    forms = {f"词{i}语{i % 7}": str(i) for i in range(2000)} | SEGMENTED_FORMS
    matcher = Matcher(forms, quotes=True, crossers=crossing_words(list(forms), 300))
    line = "坚持创新发展理念，深入实施工业倍增行动，“四个全面”，国民生产总值，推动高质量发展。"
    small, large = line * 200, line * 2000

    def fastest(text: str) -> float:
        # The least of three runs: a busy machine only ever adds time, and a pause in one run
        # (another process, a collection) must not read as work growing faster than the text.
        times = []
        for _ in range(3):
            started = time.perf_counter()
            matcher.find(text)
            times.append(time.perf_counter() - started)
        return min(times)

    one, ten = fastest(small), fastest(large)
    assert len(matcher.find(large)) == 10 * len(matcher.find(small))
    assert ten < 25 * one + 0.05          # ten times the text: about ten times the work, never a hundred


def test_a_latin_acronym_is_matched_as_a_whole_word() -> None:
    matcher = Matcher({"CCER": "ccer", "核证自愿减排量": "ccer"}, quotes=True)
    assert found(matcher, "重启CCER交易，核证自愿减排量") == [("CCER", "ccer"), ("核证自愿减排量", "ccer")]
    assert found(matcher, "CCERS和XCCER") == []
