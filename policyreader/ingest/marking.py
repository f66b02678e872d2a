"""Mark glossary terms in a document's running text as term runs."""
from __future__ import annotations

from collections import Counter

from ..glossary import Matcher
from .document import Caption, Document, Paragraph, Quote, Run, Timeline

# Running text only: headings, titles, speaker labels, dates and credits are never marked.
MARKABLE = {"text"}


def mark_runs(runs: list[Run], matcher: Matcher, counts: Counter, off: frozenset[str] = frozenset()) -> list[Run]:
    """Split text runs around every term occurrence; longest match wins; ``off`` ids stay plain."""
    out: list[Run] = []
    for run in runs:
        if run.kind not in MARKABLE:
            out.append(run)
            continue
        position = 0
        for start, end, term_id in matcher.find(run.text):
            if term_id in off:
                continue
            if start > position:
                out.append(Run(run.text[position:start]))
            out.append(Run(run.text[start:end], "term", term_id))
            counts[term_id] += 1
            position = end
        if position < len(run.text):
            out.append(Run(run.text[position:]))
    return out


def mark_document(doc: Document, matcher: Matcher, off: frozenset[str] = frozenset()) -> Counter:
    """Mark terms in every paragraph, quotation, caption and timeline item; return counts."""
    counts: Counter = Counter()

    def mark(runs: list[Run]) -> list[Run]:
        return mark_runs(runs, matcher, counts, off)

    for piece in doc.pieces:
        for block in piece.blocks:
            if isinstance(block, Paragraph):
                block.runs = mark(block.runs)
            elif isinstance(block, Quote):
                for paragraph in (*block.paragraphs, block.attribution):
                    paragraph.runs = mark(paragraph.runs)
            elif isinstance(block, Caption):
                block.runs = mark(block.runs)
            elif isinstance(block, Timeline):
                for item in block.items:
                    item.runs = mark(item.runs)
    return counts
