"""Mark glossary terms in a document's running text as term runs."""
from __future__ import annotations

from collections import Counter

from ..sources.seeds import Fix
from ..text.matcher import Matcher
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


def protect_runs(runs: list[Run], matcher: Matcher, counts: Counter) -> list[Run]:
    """Split out no-convert phrases as ``nc`` runs, which are neither converted nor marked."""
    out: list[Run] = []
    for run in runs:
        if run.kind != "text":
            out.append(run)
            continue
        position = 0
        for start, end, phrase in matcher.find(run.text):
            if start > position:
                out.append(Run(run.text[position:start]))
            out.append(Run(run.text[start:end], "nc"))
            counts[phrase] += 1
            position = end
        if position < len(run.text):
            out.append(Run(run.text[position:]))
    return out


def mark_document(doc: Document, matcher: Matcher, off: frozenset[str] = frozenset(),
                  keep: Matcher | None = None, kept: Counter | None = None) -> Counter:
    """Mark terms in every paragraph, quotation, caption and timeline item; return counts.

    ``keep`` finds no-convert phrases first (their uses are counted in ``kept``).
    """
    counts: Counter = Counter()

    def mark(runs: list[Run]) -> list[Run]:
        if keep is not None:
            runs = protect_runs(runs, keep, kept if kept is not None else Counter())
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


def _all_paragraphs(doc: Document) -> list[Paragraph]:
    out: list[Paragraph] = []
    for piece in doc.pieces:
        for block in piece.blocks:
            if isinstance(block, Paragraph):
                out.append(block)
            elif isinstance(block, Quote):
                out.extend([*block.paragraphs, block.attribution])
    return out


def add_editor_notes(doc: Document, fixes: tuple[Fix, ...]) -> None:
    """Tell readers where an editor changed the text: a footnote on the paragraph each fix
    touched, saying why and what the paper printed."""
    paragraphs = sorted(_all_paragraphs(doc), key=lambda p: p.line)
    for number, fix in enumerate((f for f in fixes if f.why), start=1):
        here = next((p for p in paragraphs if fix.seed_line in p.lines), None)
        if here is None:
            earlier = [p for p in paragraphs if p.line <= fix.seed_line]
            here = earlier[-1] if earlier else (paragraphs[0] if paragraphs else None)
        if here is None:
            continue
        note_id = f"fix-{number}"
        printed, now = fix.find.replace("\n", " ").strip(), fix.replace.replace("\n", " ").strip()
        change = f"原作“{printed}”，今改为“{now}”。" if now else f"原有“{printed}”，今删去。"
        why = fix.why if fix.why.endswith(("。", "！", "？")) else fix.why + "。"
        here.runs.append(Run(note_id, "note"))
        doc.notes.append((note_id, f"编者注：{why}{change}"))
