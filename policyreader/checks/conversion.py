"""Editorial checks that need a human: where conversion chose between several Traditional forms."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError
from ..site.pages import RenderedArticle
from ..sources.glossary import Glossary
from ..text.matcher import Matcher
from ..variants.convert import Converter, ambiguous_characters

# Phrases listed per line of the review: enough to see the pattern; --full lists them all.
PHRASES_SHOWN = 8


def source_texts(articles: list[RenderedArticle], glossary: Glossary | None) -> list[str]:
    """Every human-readable text the site converts: article text and metadata, glossary (if given)."""
    texts: list[str] = []
    for article in articles:
        texts.append(article.title)
        texts += article.headings + [p.text for p in article.index.paragraphs]
        texts += [p.position or "" for p in article.meta.participants]
        texts += [b.text for piece in article.meta.pieces for b in piece.bylines]
    for entry in glossary.entries if glossary else []:
        texts += [entry.term, *entry.aliases, entry.definition, entry.uncertain or "", entry.category]
    return [t for t in texts if t]


@dataclass
class Review:
    """What ``check`` reviews: the articles named (seed file names or slugs), or with none the
    whole site, glossary included. Filled in by the build: the names it matched, the lines."""

    targets: tuple[str, ...] = ()
    full: bool = False                       # every phrase on its own line instead of a summary
    names: set[str] = field(default_factory=set)
    lines: list[str] = field(default_factory=list)

    @property
    def whole_site(self) -> bool:
        return not self.targets

    def select(self, articles: list[tuple[str, str]], shown: str) -> set[str]:
        """The slugs named, from (seed file name, slug) pairs; an unknown name stops the check."""
        if self.whole_site:
            return {slug for _, slug in articles}
        by_name = {}
        for seed, slug in articles:
            by_name[Path(seed).stem] = by_name[slug] = (Path(seed).stem, slug)
        chosen = set()
        for target in self.targets:
            name = Path(target).name
            stem = name.rsplit(".", 1)[0] if name.endswith((".txt", ".yaml", ".md", ".html")) else name
            if stem not in by_name:
                raise BuildError(target, None, f"no seed or article of that name in {shown} (give a seed, "
                                 "seeds/NAME.txt, or an article's slug)")
            self.names.update(by_name[stem])
            chosen.add(by_name[stem][1])
        return chosen


def conversion_review(articles: list[RenderedArticle], glossary: Glossary | None, converter: Converter,
                      full: bool = False, label: str = "") -> list[str]:
    """Per character with several Traditional forms: the form chosen and the phrases it stands in,
    one line per chosen form (``full``: one line per phrase)."""
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
    phrases = sum(len(c) for c in seen.values())
    lines = [f"{spec.lang} ({spec.opencc}){label}: {len(seen)} characters of several Traditional forms in "
             f"{phrases} phrases; check each chosen form"]
    for ch in sorted(seen, key=lambda c: (-sum(seen[c].values()), c)):
        forms = "/".join(table[ch])
        if full:
            chosen = Counter()
            for (_, _, form), count in seen[ch].items():
                chosen[form] += count
            summary = ", ".join(f"{form} ×{n}" for form, n in chosen.most_common())
            lines.append(f"  {ch} → {summary}   (OpenCC forms: {forms})")
            for (phrase, out, form), count in sorted(seen[ch].items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"      {phrase} → {out}  ×{count}")
            continue
        by_form: dict[str, Counter] = defaultdict(Counter)
        for (phrase, _, form), count in seen[ch].items():
            by_form[form][phrase] += count
        for form, found in sorted(by_form.items(), key=lambda kv: -sum(kv[1].values())):
            listed = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
            shown = ", ".join(f"{phrase}" + (f" ×{n}" if n > 1 else "") for phrase, n in listed[:PHRASES_SHOWN])
            more = f", … {len(listed) - PHRASES_SHOWN} more" if len(listed) > PHRASES_SHOWN else ""
            lines.append(f"  {ch} → {form} ×{sum(found.values())} (OpenCC forms: {forms}): {shown}{more}")
    return lines + override_review(articles, glossary, converter)


def override_review(articles: list[RenderedArticle], glossary: Glossary | None, converter: Converter) -> list[str]:
    """Lines listing the site's own overrides: those the texts use, with counts, then the
    general fixes (true of any text) that wait for a text to need them."""
    if not converter.overrides:
        return []
    found: Counter = Counter()
    matcher = Matcher({phrase: phrase for phrase in converter.overrides})
    for text in source_texts(articles, glossary):
        found.update(phrase for _, _, phrase in matcher.find(text))
    lang = converter.spec.lang
    lines = [f"{lang}: overrides of site_src/conversion.yaml used by the texts"]
    lines += [f"  {phrase} → {converter.overrides[phrase]}  ×{n}" for phrase, n in sorted(found.items())]
    waiting = sorted(converter.general - set(found))
    if waiting:
        lines.append(f"{lang}: general fixes no text uses yet: "
                     + ", ".join(f"{p} → {converter.overrides[p]}" for p in waiting))
    return lines


def unused_overrides(articles: list[RenderedArticle], glossary: Glossary, converter: Converter) -> list[str]:
    """Overrides whose phrase stands in no text of the site (so they never matched)."""
    if not converter.overrides:
        return []
    found = set()
    matcher = Matcher({phrase: phrase for phrase in converter.overrides})
    for text in source_texts(articles, glossary):
        found.update(phrase for _, _, phrase in matcher.find(text))
    return sorted(set(converter.overrides) - found - converter.general)
