"""Ingest on the two real seeds, end to end through ``python build.py``.

The expectations here come from reading the newspaper pages, not from the code's output:
seed 000 is a round-table (11 questions, 11 answers, four guests), seed 003 a page of five
pieces (lead, commentary, data box with 20 bold figures, timeline of 8 items, report).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from policyreader.markdown.parser import make_parser, split_front_matter
from policyreader.sources.seeds import apply_fixes, load_sidecar

from helpers import REPO, SHARED_SEEDS, run_build

MD = make_parser()
SEED_000 = "000_c77db80417356711"
SEED_003 = "003_c2d4cca183c9bd68"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Build once into a temp copy of the project; return its articles folder."""
    import shutil
    root = tmp_path_factory.mktemp("built")
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "site_src", root / "site_src", ignore=shutil.ignore_patterns("articles"))
    result = run_build(root, "ingest")
    assert result.returncode == 0, result.stderr
    return root / "site_src" / "articles"


def load(built: Path, slug: str):
    meta, body, _ = split_front_matter((built / f"{slug}.md").read_text(encoding="utf-8"), slug)
    return meta, MD.parse(body)


def pieces(tokens) -> dict[str, list]:
    """Tokens of each piece container, keyed by piece id."""
    out: dict[str, list] = {}
    current = None
    for token in tokens:
        if token.type == "container_piece_open":
            current = token.info.split()[1]
            out[current] = []
        elif token.type == "container_piece_close":
            current = None
        elif current:
            out[current].append(token)
    return out


def paragraphs(tokens) -> list[tuple[dict, str]]:
    """(attributes, plain text) of every paragraph outside photo captions."""
    result = []
    in_caption = False
    for index, token in enumerate(tokens):
        if token.type.startswith("container_caption"):
            in_caption = token.nesting == 1
        elif token.type == "paragraph_open" and not in_caption:
            inline = tokens[index + 1]
            result.append((dict(token.attrs), "".join(c.content for c in inline.children if c.type == "text")))
    return result


def test_seeds_are_byte_identical_to_the_shared_ones() -> None:
    if not SHARED_SEEDS.is_dir():
        pytest.skip("no ../shared/seeds beside this checkout to compare with")
    shared = sorted(SHARED_SEEDS.glob("*.txt"))
    assert shared, "../shared/seeds holds no seeds"
    for path in shared:
        assert (REPO / "seeds" / path.name).read_bytes() == path.read_bytes()


def test_committed_articles_are_what_the_build_makes(built: Path) -> None:
    for path in built.glob("*.md"):
        assert (REPO / "site_src" / "articles" / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), \
            f"site_src/articles/{path.name} is stale: run python build.py and commit it"


def test_roundtable_turns_are_all_attributed(built: Path) -> None:
    meta, tokens = load(built, "sige-dazhua")
    turns = paragraphs(pieces(tokens)["roundtable"])
    assert all(attrs.get("speaker") for attrs, _ in turns)
    questions = [text for attrs, text in turns if text.startswith("主持人：")]
    guests = {p["name"]: p for p in meta["participants"] if p["role"] == "嘉宾"}
    answers = [text for attrs, text in turns if text.split("：")[0] in guests]
    assert len(questions) == 11 and len(answers) == 11
    assert {a.split("：")[0] for a in answers} == {"田蔚", "白明", "谢强", "蒋莉莉"}
    assert guests["田蔚"]["position"] == "贵州产业技术发展研究院科技成果转化部部长"
    assert guests["谢强"]["position"] == "贵州省投资促进局局长"
    # A speaker's unlabelled paragraphs are theirs: 一路聚焦… continues 田蔚's first answer.
    by_text = {text[:4]: attrs["speaker"] for attrs, text in turns}
    assert by_text["一路聚焦"] == guests["田蔚"]["id"]
    assert by_text["融资破解"] == by_text["数字化与"] == guests["谢强"]["id"]
    ids = {p["id"] for p in meta["participants"]}
    assert {attrs["speaker"] for attrs, _ in turns} <= ids


def test_roundtable_column_breaks_are_joined_across_the_guest_list(built: Path) -> None:
    _, tokens = load(built, "sige-dazhua")
    texts = [text for _, text in paragraphs(tokens)]
    assert any("着力推动技术创新转化和产业化，加快建设特色科技强省。" in t for t in texts)
    assert any("共建技术创新联合体，聚焦产业链短板开展攻关" in t for t in texts)
    assert any("为企业提供金融支持。" in t for t in texts)
    assert not any(t.startswith(("化和产业化", "焦产业链", "业提供", "提供金融")) for t in texts)


def test_roundtable_metadata(built: Path) -> None:
    meta, tokens = load(built, "sige-dazhua")
    assert meta["title"] == "以“四个大抓”培育壮大高质量发展内生动力"
    assert str(meta["date"]) == "2026-01-20" and "刊发" in meta["date_note"]
    kinds = [(p["id"], p["kind"]) for p in meta["pieces"]]
    assert kinds == [("editors-note", "editors-note"), ("roundtable", "roundtable")]
    assert meta["pieces"][1]["bylines"][0]["text"] == "贵州日报理论周刊编辑部"
    assert meta["truncated"]["line"] == 99
    assert [x["text"] for x in meta["leftovers"]] == ["扫码观看《悟思想伟力·看实践创新》微视频"]
    assert meta["seed"]["file"] == f"{SEED_000}.txt" and len(meta["seed"]["sha256"]) == 64
    last = paragraphs(pieces(tokens)["roundtable"])[-1]
    assert "truncated" in last[0].get("class", "") and last[1].endswith("等项目实行")
    captions = [t for t in tokens if t.type == "container_caption_open"]
    assert len(captions) == 1


def test_editors_note_quotations_keep_their_attributions(built: Path) -> None:
    _, tokens = load(built, "sige-dazhua")
    note = pieces(tokens)["editors-note"]
    assert sum(t.type == "blockquote_open" for t in note) == 2
    attributions = [text for attrs, text in paragraphs(note) if attrs.get("class") == "attribution"]
    assert attributions == ["——2026年1月20日，习近平总书记在省部级主要领导干部学习贯彻党的二十届四中全会精神专题研讨班开班式上发表重要讲话强调",
                            "——2025年3月17日至18日，习近平总书记在贵州考察时强调"]


def test_page_of_five_pieces(built: Path) -> None:
    meta, tokens = load(built, "gongye-da-tupo")
    by_id = {p["id"]: p for p in meta["pieces"]}
    assert [p["kind"] for p in meta["pieces"]] == ["lead", "report", "commentary", "data", "timeline"]
    assert by_id["commentary"]["title"] == "筑牢贵州经济“压舱石”"
    assert by_id["commentary"]["bylines"][0]["names"] == ["江婷婷"]
    assert by_id["report"]["title"] == "当好排头兵 奋力推进工业大突破"
    assert by_id["report"]["bylines"][0]["names"] == ["江婷婷", "桂榕"]
    parts = pieces(tokens)
    bold = [t for t in parts["data"] for t in (t.children or [])
            if t.type == "strong_open" or (t.type == "span_open" and t.attrGet("class") == "bold")]
    assert len(bold) == 20
    dates = [c.content for t in parts["timeline"] if t.type == "inline" for c in t.children
             if c.type == "text" and re.fullmatch(r"\d{4}年.*", c.content)]
    assert len([t for t in parts["timeline"] if t.type == "list_item_open"]) == 8
    assert dates[0] == "2021年3月2日" and dates[-1] == "2021年12月24日"
    subheads = [tokens_inline.content for i, tokens_inline in enumerate(parts["report"])
                if tokens_inline.type == "inline" and parts["report"][i - 1].type == "heading_open"
                and parts["report"][i - 1].tag == "h3"]
    assert subheads == ["做实重大项目 做大产业规模", "延链补链强链 产业集群崛起", "突出创新驱动 发展量质齐升"]
    lead_text = [text for _, text in paragraphs(parts["lead"])]
    assert lead_text[-1].endswith("项目贡献更加突出、开发区支撑更加有力、绿色发展成效明显。")
    captions = [t for t in parts["lead"] if t.type == "container_caption_open"]
    assert len(captions) == 1 and "truncated" not in meta


def haystack(markdown: str) -> str:
    """All text of a generated file: body text as parsed plus every front-matter string."""
    meta, body, _ = split_front_matter(markdown, "x")
    texts = [c.content for t in MD.parse(body) if t.type == "inline" for c in t.children if c.type == "text"]

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)
    return re.sub(r"\s+", "", "\n".join([*texts, *strings(meta)]))


@pytest.mark.parametrize("stem, slug", [(SEED_000, "sige-dazhua"), (SEED_003, "gongye-da-tupo")])
def test_every_clause_of_the_seed_is_in_its_markdown(built: Path, stem: str, slug: str) -> None:
    raw = (REPO / "seeds" / f"{stem}.txt").read_text(encoding="utf-8")
    sidecar = load_sidecar(REPO / "seeds" / f"{stem}.yaml", "sidecar")
    fixed, _ = apply_fixes(raw, sidecar.fixes, "sidecar")
    text = re.sub(r"^#+\s*|^●\s*", "", fixed, flags=re.M).replace("**", "")
    clauses = {c for c in re.split(r"[，。、；：！？\s]+", text) if c}
    seed_text = re.sub(r"\s+", "", text)
    output = haystack((built / f"{slug}.md").read_text(encoding="utf-8"))
    missing = [c for c in clauses if output.count(c) < seed_text.count(c)]
    assert missing == []
    assert len(clauses) > 300


@pytest.mark.parametrize("slug, paragraph_start", [("sige-dazhua", "融资破解方面"), ("gongye-da-tupo", "抓主导产业")])
def test_each_sidecar_fix_is_told_to_readers_as_an_editors_note(built: Path, slug: str, paragraph_start: str) -> None:
    text = (built / f"{slug}.md").read_text(encoding="utf-8")
    marked = [line for line in text.splitlines() if line.startswith(paragraph_start)]
    assert len(marked) == 1 and marked[0].endswith("[^fix-1]")
    definition = [line for line in text.splitlines() if line.startswith("[^fix-1]: ")]
    assert len(definition) == 1 and "编者注：原报" in definition[0] and "今改为" in definition[0]
