"""Reading what ingest made of the fixtures in tests/fixtures/ingest/: blocks per piece from
the generated Markdown, block texts from the published pages in each script, and the
measures the issue asks for (paragraphs recovered whole, clauses lost or doubled, false
truncation marks, paragraphs under the wrong byline)."""
from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from policyreader.markdown.parser import make_parser, split_front_matter

from helpers import REPO, run_build

FIXTURES = REPO / "tests" / "fixtures" / "ingest"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.txt"))
MD = make_parser()
ROLE_KINDS = {"docno", "salutation", "subtitle", "xref", "resp", "author-note", "staff", "dateline"}


def squeeze(text: str) -> str:
    """Text without whitespace: spacing around datelines and credits is presentation."""
    return re.sub(r"\s+", "", text)


@dataclass
class Block:
    """One block as a reader gets it: a kind and its text (or texts, for a list or a quote)."""

    kind: str
    texts: list[str]
    anchor: str = ""


@dataclass
class PieceBlocks:
    """A piece's kind, title, byline names and blocks."""

    kind: str
    title: str | None
    bylines: list[str]
    blocks: list[Block]


def build_fixtures(root: Path) -> Path:
    """A project holding every fixture seed (and the real site_src), built in full."""
    (root / "seeds").mkdir(parents=True)
    for path in FIXTURES.glob("*.txt"):
        shutil.copy(path, root / "seeds" / path.name)
    for sidecar in FIXTURES.glob("*.yaml"):
        if not sidecar.name.endswith(".expected.yaml"):
            shutil.copy(sidecar, root / "seeds" / sidecar.name)
    shutil.copytree(REPO / "site_src", root / "site_src", ignore=shutil.ignore_patterns("articles"))
    for folder in ("templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root


def expected(name: str) -> dict:
    """The hand-written expectation for one fixture."""
    return yaml.safe_load((FIXTURES / f"{name}.expected.yaml").read_text(encoding="utf-8"))


def expected_pieces(name: str) -> list[PieceBlocks]:
    """The expectation as pieces of blocks."""
    out = []
    for piece in expected(name)["pieces"]:
        blocks = []
        for entry in piece["blocks"]:
            kind, value, *rest = entry
            if kind in ("keypoints",):
                blocks.append(Block(kind, list(value)))
            elif kind in ("caption", "quote"):
                blocks.append(Block(kind, [value, *rest]))
            else:
                anchor = rest[0] if rest and rest[0] != "dateline" else ""
                blocks.append(Block(kind, [value], anchor))
        out.append(PieceBlocks(piece["kind"], piece["title"], piece["bylines"], blocks))
    return out


def article_of(root: Path, name: str) -> tuple[dict, str]:
    """Front matter and body of the article made from one fixture seed."""
    for path in (root / "site_src" / "articles").glob("*.md"):
        meta, body, _ = split_front_matter(path.read_text(encoding="utf-8"), path.name)
        if meta["seed"]["file"] == f"{name}.txt":
            return meta, body
    raise AssertionError(f"no article made from {name}.txt")


def _inline_text(token) -> str:
    return "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))


def markdown_pieces(meta: dict, body: str) -> list[PieceBlocks]:
    """The blocks of every piece of a generated article, read from its Markdown tokens."""
    roles = {p["id"]: p["role"] for p in meta.get("participants") or []}
    pieces_meta = {p["id"]: p for p in meta["pieces"]}
    tokens = MD.parse(body)
    out: list[PieceBlocks] = []
    current: PieceBlocks | None = None
    in_caption = in_closing = in_quote = in_list = False
    quote: list[str] = []
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "container_piece_open":
            piece = pieces_meta[token.info.split()[1]]
            names = [n for b in piece.get("bylines") or [] for n in b["names"]]
            current = PieceBlocks(piece["kind"], piece["title"], names, [])
            out.append(current)
        elif current is None:
            continue
        elif kind.startswith("container_caption"):
            in_caption = token.nesting == 1
            if in_caption:
                inline = tokens[index + 2]
                credit = "".join(c.content for i, c in enumerate(inline.children) if c.type == "text"
                                 and i and inline.children[i - 1].type == "span_open"
                                 and inline.children[i - 1].attrGet("class") == "credit")
                text = _inline_text(inline)
                current.blocks.append(Block("caption", [text[:len(text) - len(credit)], credit] if credit else [text]))
        elif kind.startswith("container_closing"):
            in_closing = token.nesting == 1
        elif kind == "blockquote_open":
            in_quote, quote = True, []
        elif kind == "blockquote_close":
            in_quote = False
            current.blocks.append(Block("quote", quote))
        elif kind == "bullet_list_open":
            in_list = True
            current.blocks.append(Block("keypoints" if token.attrGet("class") == "keypoints" else "timeline", []))
        elif kind == "bullet_list_close":
            in_list = False
        elif kind == "heading_open" and token.tag != "h2":
            current.blocks.append(Block("h", [tokens[index + 1].content], token.attrGet("id") or ""))
        elif kind == "paragraph_open" and not in_caption:
            inline = tokens[index + 1]
            text = _inline_text(inline)
            if in_list:
                current.blocks[-1].texts.append(text)
            elif in_quote:
                quote.append(text)
            elif in_closing:
                current.blocks.append(Block("closing", [text]))
            else:
                css = token.attrGet("class") or ""
                speaker = token.attrGet("speaker")
                spans = [c for c in inline.children if c.type == "span_open"]
                anchor = next((c.attrGet("id") for c in spans if c.attrGet("id")), "") or ""
                if css in ROLE_KINDS:
                    block = Block(css, [text])
                elif speaker:
                    block = Block("q" if roles.get(speaker) in ("主持人", "问", "记者") else "a", [text])
                else:
                    block = Block("p", [text], anchor)
                current.blocks.append(block)
    return out


def page_texts(root: Path, slug: str, folder: str) -> list[str]:
    """The text of every block of an article page in one script, in page order (headings,
    paragraphs, list items, caption parts), without ¶ numbers, tooltips or speaker positions."""
    page = root / "_site" / folder / "articles" / f"{slug}.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    for junk in article.select(".pnum, .tip, .position, .photo-missing, nav.contents, .participants, "
                               "p.byline, section.terms, header, .truncation, sup.footnote-ref"):
        junk.decompose()
    texts = []
    for element in article.select("section.piece h3, section.piece h4, section.piece h5, section.piece h6, "
                                  "section.piece p, section.piece li"):
        if element.name == "p" and element.find_parent("li"):
            continue
        texts.append(squeeze(element.get_text()))
    return texts


def expected_texts(pieces: list[PieceBlocks]) -> list[str]:
    """Expected block texts in page order (titles are the page's h1/h2, so not listed)."""
    out = []
    for piece in pieces:
        for block in piece.blocks:
            if block.kind == "caption":
                out.append(squeeze("".join(block.texts)))
            else:
                out.extend(squeeze(t) for t in block.texts)
    return out


CLAUSE = re.compile(r"[，。、；：！？“”‘’《》（）\s—]+")


def clauses(text: str) -> list[str]:
    """Clauses of a text: what lies between punctuation marks."""
    return [c for c in CLAUSE.split(text) if c]


@dataclass
class Measures:
    """The issue's measures for one fixture."""

    paragraphs: int = 0
    whole: int = 0
    lost: int = 0
    doubled: int = 0
    false_truncations: int = 0
    wrong_byline: int = 0


def measure(name: str, got: list[PieceBlocks], meta: dict) -> Measures:
    """Compare what ingest made of a fixture with its expectation."""
    want = expected_pieces(name)
    m = Measures()
    got_blocks = [(p, squeeze("".join(b.texts))) for p in got for b in p.blocks]
    for piece in want:
        for block in piece.blocks:
            for text in ([squeeze(t) for t in block.texts] if block.kind == "keypoints" else [squeeze("".join(block.texts))]):
                m.paragraphs += 1
                homes = [p for p, t in got_blocks if t == text or (block.kind == "keypoints" and text in t)]
                if homes:
                    m.whole += 1
                    if block.kind in ("p", "q", "a") and sorted(homes[0].bylines) != sorted(piece.bylines):
                        m.wrong_byline += 1
    source = Counter(c for p in want for t in [p.title or "", *(x for b in p.blocks for x in b.texts)] for c in clauses(squeeze(t)))
    output = Counter(c for p in got for t in [p.title or "", *(x for b in p.blocks for x in b.texts)] for c in clauses(squeeze(t)))
    m.lost = sum((source - output).values())
    m.doubled = sum((output - source).values())
    truncated_lines = [meta["truncated"]["line"]] if meta.get("truncated") else []
    truncated_lines += [p["truncated"] for p in meta["pieces"] if p.get("truncated")]
    m.false_truncations = len(truncated_lines) - expected(name).get("truncated", 0)
    return m
