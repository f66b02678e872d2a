"""``build.py terms``: candidate terms the glossary lacks, on articles written for this test."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from policyreader.sources.glossary import load_glossary
from policyreader.text.matcher import strip_quotes

from helpers import REPO, run_build

FIXTURES = REPO / "tests" / "fixtures" / "articles"
# The terms a reader of each article most needs explained, chosen when the article was written.
KEY_TERMS = {
    "liangshi-chubei.txt": """国家粮食安全战略 藏粮于地 藏粮于技 粮食安全党政同责 米袋子省长负责制 中央储备粮 最低收购价 政策性粮食
        地方储备粮 智慧粮库 转圈粮 以陈顶新 耕地红线 非农化 非粮化 高标准农田 种业振兴行动 优质粮食工程 粮食产后服务体系
        光盘行动 中国饭碗 粮食收储制度 国之大者 粮食节约行动 压舱石""".split(),
    "xiaofei-fupin.txt": """消费扶贫 脱贫攻坚 以购代捐 以买代帮 扶贫产品 东西部扶贫协作 定点扶贫 建档立卡贫困户 产业扶贫 电商扶贫
        两不愁三保障 摘帽 乡村振兴 防止返贫 消费帮扶 规模性返贫 对口支援 扶贫产品认定 消费扶贫专馆""".split(),
    # Written after the rules were tuned on the two above, as a check on articles they were not made for.
    "jingji-gongzuo.txt": """中央经济工作会议 稳中求进工作总基调 新发展理念 新发展格局 扩大内需战略 超长期特别国债 地方政府专项债券
        两重 两新 供给侧结构性改革 系统性风险 房地产发展新模式 就业优先战略 两个毫不动摇 千万工程 规模性返贫 乡村全面振兴
        一带一路 高水平对外开放 脱贫攻坚""".split(),
}


def lines_of(output: str) -> list[tuple[str, int, str]]:
    rows = []
    for line in output.splitlines():
        term, count, where = line.split("\t")
        rows.append((term, int(count), where))
    return rows


def names(found: list[tuple[str, int, str]], key: str) -> bool:
    """Whether a listed candidate names the key term: the same words, or them with at most two
    characters around (a suffix, a quotation)."""
    return any(key == strip_quotes(t) or (key in strip_quotes(t) and len(strip_quotes(t)) <= len(key) + 2)
               for t, _, _ in found)


def without_key_terms(source: Path, target: Path) -> None:
    """The glossary as it was before it explained the articles' key terms: entries whose forms
    overlap a key term are left out (and so are the references to them), so the command has
    the gaps of an unseen article to find, however the real glossary grows."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    keys = {k for terms in KEY_TERMS.values() for k in terms}

    def covers(entry: dict) -> bool:
        forms = [strip_quotes(f) for f in [entry["term"], *(entry.get("aliases") or [])]]
        return any(f == k or k in f or (len(f) >= 2 and f in k) for f in forms for k in keys)

    dropped = {e["id"] for e in data["entries"] if covers(e)}
    data["entries"] = [e for e in data["entries"] if e["id"] not in dropped]
    for entry in data["entries"]:
        if entry.get("related"):
            entry["related"] = [r for r in entry["related"] if r not in dropped]
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("terms") / "project"
    (root / "seeds").mkdir(parents=True)
    shutil.copytree(REPO / "site_src", root / "site_src", ignore=shutil.ignore_patterns("articles"))
    without_key_terms(REPO / "site_src" / "glossary.yaml", root / "site_src" / "glossary.yaml")
    for path in FIXTURES.glob("*.txt"):
        shutil.copy(path, root / "seeds" / path.name)
    return root


def lacking(project: Path, seed: str) -> list[str]:
    """The key terms the page would leave unexplained: some use of them lies outside every
    glossary match (a term inside a longer explained form counts as explained there)."""
    glossary = load_glossary(project / "site_src" / "glossary.yaml", "g", cache=project / ".cache")
    plain = strip_quotes((project / "seeds" / seed).read_text(encoding="utf-8"))
    covered = bytearray(len(plain))
    for start, end, _ in glossary.matcher().find(plain):
        covered[start:end] = b"\x01" * (end - start)
    out = []
    for key in KEY_TERMS[seed]:
        spots = [i for i in range(len(plain)) if plain.startswith(key, i)]
        if any(not all(covered[i:i + len(key)]) for i in spots):
            out.append(key)
    return out


@pytest.mark.parametrize("seed", sorted(KEY_TERMS))
def test_most_key_terms_the_glossary_lacks_are_in_the_first_30_lines(project: Path, seed: str) -> None:
    result = run_build(project, "terms", seed)
    assert result.returncode == 0, result.stderr
    rows = lines_of(result.stdout)
    missing = lacking(project, seed)
    found = [k for k in missing if names(rows[:30], k)]
    print(f"{seed}: {len(found)}/{len(missing)} in the first 30; missed: {sorted(set(missing) - set(found))}")
    assert len(missing) >= 5
    assert len(found) >= 0.7 * len(missing)


def test_each_line_gives_term_count_and_first_use(project: Path) -> None:
    rows = lines_of(run_build(project, "terms", "xiaofei-fupin.txt").stdout)
    text = (project / "seeds" / "xiaofei-fupin.txt").read_text(encoding="utf-8").splitlines()
    top = {term: (count, where) for term, count, where in rows}
    count, where = top["以买代帮"]
    assert count == 2 and where == "seeds/xiaofei-fupin.txt:11" and "以买代帮" in text[10]
    for term, count, where in rows[:30]:
        seed, line = where.split(":")
        assert seed == "seeds/xiaofei-fupin.txt"
        assert strip_quotes(term) in strip_quotes(text[int(line) - 1]) and count >= 1
    scores = [t for t, _, _ in rows]
    assert len(scores) == len(set(scores))


def test_terms_the_glossary_explains_are_left_out(project: Path) -> None:
    rows = lines_of(run_build(project, "terms").stdout)
    glossary = load_glossary(project / "site_src" / "glossary.yaml", "g", cache=project / ".cache")
    forms = {strip_quotes(f) for e in glossary.entries for f in e.forms}
    assert [t for t, _, _ in rows if strip_quotes(t) in forms] == []
    listed = {strip_quotes(t) for t, _, _ in rows}
    for seed in KEY_TERMS:                                  # every seed is read by default
        assert listed & set(lacking(project, seed)), seed


def test_an_unknown_seed_is_an_error_naming_it(project: Path) -> None:
    result = run_build(project, "terms", "nope.txt")
    assert result.returncode == 1 and "nope.txt: error: no such seed" in result.stderr


NOTICE = """国家发展改革委关于推动数字经济高质量发展若干措施的通知

各省、自治区、直辖市发展改革委：
为深化数据要素市场化配置改革，国家发展改革委制定了推动数字经济高质量发展若干措施。
一、稳步推进数据要素市场化配置改革试点。
二、各地要把数据要素市场化配置改革同产业政策结合起来。
三、国家发展改革委将会同有关部门开展评估。
国家发展改革委
2025年3月1日
"""


def test_a_piece_of_a_longer_name_is_no_candidate() -> None:
    """A body's name and a document's title printed again and again hold pieces that look like
    terms (国家发展改革 before 委, 发展若干措施 after 高质量): a candidate that always has the same
    character after it, or a bare repeated unit the same character before it, is left out; a
    term used in varied company stays."""
    from policyreader.checks.terms import find_terms
    glossary = load_glossary(REPO / "site_src" / "glossary.yaml", "g")
    found = [strip_quotes(c.text) for c in find_terms([("notice", NOTICE)], {f: e.id for e in glossary.entries
                                                                           for f in e.forms}, glossary.matcher())]
    names = ("国家发展改革委", "数字经济高质量发展若干措施")
    assert [c for c in found if any(c in name and c != name for name in names)] == []
    assert any(c.startswith("数据要素市场化") and c.endswith("改革") for c in found), found
