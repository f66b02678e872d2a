"""Editorial checks that need a human: where conversion chose between several Traditional forms."""
from __future__ import annotations

from collections import Counter, defaultdict

from ..site.pages import RenderedArticle
from ..sources.glossary import Glossary
from ..text.matcher import Matcher
from ..variants.convert import Converter, ambiguous_characters


def source_texts(articles: list[RenderedArticle], glossary: Glossary) -> list[str]:
    """Every human-readable text the site converts: article text and metadata, glossary."""
    texts: list[str] = []
    for article in articles:
        texts.append(article.title)
        texts += article.headings + [p.text for p in article.index.paragraphs]
        texts += [p.get("position") or "" for p in article.meta.get("participants") or []]
        texts += [b["text"] for piece in article.meta["pieces"] for b in piece.get("bylines") or []]
    for entry in glossary.entries:
        texts += [entry.term, *entry.aliases, entry.definition, entry.uncertain or "", entry.category]
    return [t for t in texts if t]


def conversion_review(articles: list[RenderedArticle], glossary: Glossary, converter: Converter) -> list[str]:
    """Lines listing, per character with several Traditional forms, each phrase and the form chosen."""
    table = ambiguous_characters()
    seen: dict[str, Counter] = defaultdict(Counter)
    for text in source_texts(articles, glossary):
        converted = converter.convert(text)
        if len(converted) != len(text):
            continue
        for i, ch in enumerate(text):
            if ch in table:
                start = max(0, i - 1)
                seen[ch][(text[start:i + 2], converted[start:i + 2], converted[i])] += 1
    spec = converter.spec
    lines = [f"{spec.lang} ({spec.opencc}): {sum(len(c) for c in seen.values())} phrases with a character "
             f"of several Traditional forms; check each chosen form"]
    for ch in sorted(seen, key=lambda c: -sum(seen[c].values())):
        chosen = Counter()
        for (_, _, form), count in seen[ch].items():
            chosen[form] += count
        forms = "/".join(table[ch])
        summary = ", ".join(f"{form} ×{n}" for form, n in chosen.most_common())
        lines.append(f"  {ch} → {summary}   (OpenCC forms: {forms})")
        for (phrase, out, form), count in sorted(seen[ch].items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"      {phrase} → {out}  ×{count}")
    return lines


def unused_overrides(articles: list[RenderedArticle], glossary: Glossary, converter: Converter) -> list[str]:
    """Overrides whose phrase stands in no text of the site (so they never matched)."""
    if not converter.overrides:
        return []
    found = set()
    matcher = Matcher({phrase: phrase for phrase in converter.overrides})
    for text in source_texts(articles, glossary):
        found.update(phrase for _, _, phrase in matcher.find(text))
    return sorted(set(converter.overrides) - found)
