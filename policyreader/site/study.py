"""The study kit: flashcards, a multiple-choice quiz, a fill-in exercise and a printable
worksheet with its answer key, per article and for the whole site, plus an Anki deck (CSV).

Every exercise is made from what the glossary and the article hold, never from anything else:
a quiz question shows one entry's definition (its own forms blanked) and offers that entry's
term among terms of the same category (its related terms first); a fill-in item is one of the
article's own sentences with one term left out. The choices are made here, deterministically,
so the same inputs give the same pages; the page's script (study.js) only adds interaction and
keeps the score in the browser (localStorage).
"""
from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from markdown_it.token import Token

from ..markdown.renderer import shown_term
from ..sources.glossary import Entry, Glossary
from ..sources.config import VariantSpec
from ..variants.convert import Converter
from . import urls
from .pages import HOME_ARTICLES, ArticleRenderer, ParsedArticle, RenderedArticle, SitePages
from .urls import path_of

OPTIONS = 4                 # choices per quiz question
WORKSHEET_ITEMS = 15        # questions of each kind on the printed worksheet
SENTENCE_LIMIT = 90         # a longer sentence is cut to the clauses around the term
BLANK = "＿＿"
SENTENCE_END = re.compile(r"[。！？；]+[”’」』）)]*")
CLAUSE_END = re.compile(r"[，、：,]")
# What a typed answer may differ in: spacing, quotation marks and brackets (both scripts' kinds).
IGNORED_IN_ANSWERS = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）·・]")
SITE_STUDY = urls.STUDY
SITE_DECK = urls.STUDY_DECK


def normalise_answer(text: str) -> str:
    """A typed or expected answer as compared: NFKC, without spaces, quotation marks or brackets
    (study.js does exactly this)."""
    return IGNORED_IN_ANSWERS.sub("", unicodedata.normalize("NFKC", text))


def _stable(*parts: str) -> str:
    """An order that looks arbitrary but never changes between builds."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


# ---- the article's sentences ------------------------------------------------------------------

@dataclass(frozen=True)
class Sentence:
    """One sentence of a numbered paragraph, with the terms marked in it."""

    anchor: str                                    # p12
    text: str
    spans: tuple[tuple[int, int, str], ...]        # (start, end, term id) in text


def sentences(tokens: list[Token]) -> list[Sentence]:
    """Every sentence of the article's numbered paragraphs, in reading order, without speaker labels."""
    found: list[Sentence] = []
    for position, token in enumerate(tokens):
        number = token.meta.get("number") if token.type in ("paragraph_open", "list_item_open") else None
        if not number:
            continue
        inline = next((tokens[i] for i in range(position + 1, len(tokens)) if tokens[i].type == "inline"), None)
        if inline is None:
            continue
        text, spans = _flatten(inline)
        spans.sort()
        start, first = 0, 0          # spans are in order: each sentence looks only at its own (linear)
        for match in [*SENTENCE_END.finditer(text), None]:
            end = match.end() if match else len(text)
            part = text[start:end]
            lead = len(part) - len(part.lstrip())
            while first < len(spans) and spans[first][0] < start:
                first += 1
            last = first
            while last < len(spans) and spans[last][0] < end:
                last += 1
            inside = tuple((a - start - lead, b - start - lead, term) for a, b, term in spans[first:last] if b <= end)
            if part.strip():
                found.append(Sentence(f"p{number}", part.strip(), inside))
            start = end
            if start >= len(text):
                break
    return found


def _flatten(inline: Token) -> tuple[str, list[tuple[int, int, str]]]:
    """An inline token's text and its term spans; a speaker's label and its colon are left out."""
    # Pieces in a list with a running length: adding to one long string is quadratic.
    pieces: list[str] = []
    length, spans, stack, skip_colon = 0, [], [], False
    for child in inline.children or []:
        if child.type == "span_open":
            classes = (child.attrGet("class") or "").split()
            stack.append(("speaker" if "speaker" in classes else child.attrGet("term") or "", length, len(pieces)))
        elif child.type == "span_close" and stack:
            kind, start, count = stack.pop()
            if kind == "speaker":
                del pieces[count:]
                length, skip_colon = start, True
            elif kind:
                spans.append((start, length, kind))
        elif child.type == "text":
            content = child.content
            if skip_colon:
                content, skip_colon = content.lstrip("：:"), False
            pieces.append(content)
            length += len(content)
    return "".join(pieces), spans


# ---- exercises ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Blank:
    """A fill-in item: one of the article's sentences with one term left out."""

    term: str
    anchor: str
    before: str
    written: str          # the term as the sentence writes it
    after: str
    slug: str = ""        # the article it comes from (the site-wide kit links back)


@dataclass(frozen=True)
class Question:
    """A quiz question: an entry's definition with its own forms blanked; which term is it?"""

    term: str
    prompt: str
    options: tuple[str, ...]      # entry ids, the answer among them


@dataclass
class ArticleStudy:
    """What the site-wide kit needs from one article: its terms (with counts) and fill-in items."""

    slug: str
    terms: list[str]
    counts: dict[str, int]
    blanks: list[Blank] = field(default_factory=list)


def make_blanks(found: list[Sentence], terms: list[str], slug: str) -> list[Blank]:
    """One fill-in item per term: the first sentence that uses it once, cut to a readable length;
    a sentence no other item uses yet is preferred, so one item does not give away another's answer."""
    blanks = []
    used: set[int] = set()
    once_in: dict[str, list[int]] = {}      # term → the sentences that use it once, in order
    for i, sentence in enumerate(found):
        for term, count in Counter(span[2] for span in sentence.spans).items():
            if count == 1:
                once_in.setdefault(term, []).append(i)
    for term in terms:
        once = once_in.get(term, [])
        for index in [next((i for i in once if i not in used), once[0])] if once else []:
            used.add(index)
            sentence = found[index]
            spans = [s for s in sentence.spans if s[2] == term]
            start, end, _ = spans[0]
            text = sentence.text
            left, right = 0, len(text)
            if len(text) > SENTENCE_LIMIT:
                # Keep whole clauses around the term, as many as fit.
                cuts = [0, *(m.end() for m in CLAUSE_END.finditer(text)), len(text)]
                left = max((c for c in cuts if c <= start), default=0)
                right = min((c for c in cuts if c >= end), default=len(text))
                for c in sorted(cuts, key=lambda c: abs(c - start)):
                    if c < left and right - c <= SENTENCE_LIMIT:
                        left = c
                for c in cuts:
                    if c > right and c - left <= SENTENCE_LIMIT:
                        right = c
            before = ("…" if left else "") + text[left:start]
            after = text[end:right] + ("…" if right < len(text) else "")
            blanks.append(Blank(term, sentence.anchor, before, text[start:end], after, slug))
    return blanks


def masked_definition(entry: Entry) -> str:
    """An entry's definition with its own written forms blanked, so the question does not answer itself."""
    forms = {entry.term, *entry.aliases}
    forms |= {re.sub(r"[“”‘’\"]", "", form) for form in forms}
    text = entry.definition
    for form in sorted(forms, key=len, reverse=True):
        if form:
            text = text.replace(form, BLANK)
    return text


def distractors(entry: Entry, glossary: Glossary, pool: list[str], count: int = OPTIONS - 1) -> list[str]:
    """Wrong options: terms of the same category, the entry's related terms first, then the
    terms studied alongside it, then the rest of the category; other related terms only when the
    category is too small. It reads only the glossary's ids, categories and related terms (the
    build's fingerprint of the quizzes counts on it)."""
    by_id = glossary.by_id
    chosen: list[str] = []

    def take(candidates) -> None:
        for other in candidates:
            if len(chosen) >= count:
                return
            if other != entry.id and other not in chosen and other in by_id:
                chosen.append(other)

    same = glossary.by_category.get(entry.category, ())
    take(r for r in entry.related if by_id.get(r) and by_id[r].category == entry.category)
    take(sorted((t for t in pool if by_id[t].category == entry.category), key=lambda t: _stable(entry.id, t)))
    take(_ranked(entry.id, same))
    take(entry.related)
    if len(chosen) < count:
        take(_ranked(entry.id, tuple(by_id)))
    return chosen


Choose = Callable[[Entry, Glossary, list[str]], list[str]]   # (entry, glossary, pool) → wrong options


@functools.lru_cache(maxsize=4096)
def _ranked(key: str, candidates: tuple[str, ...]) -> tuple[str, ...]:
    """Candidates in the stable order ``key`` gives them (the same for every article: made once
    per process, not once per question)."""
    return tuple(sorted(candidates, key=lambda t: _stable(key, t)))


def make_questions(terms: list[str], glossary: Glossary, choose: Choose = distractors) -> list[Question]:
    """One question per term: its blanked definition, its term among distractors, in a fixed order."""
    questions = []
    for term in terms:
        entry = glossary.by_id[term]
        options = sorted([term, *choose(entry, glossary, terms)], key=lambda t: _stable("order", term, t))
        questions.append(Question(term, masked_definition(entry), tuple(options)))
    return questions


def worksheet_terms(terms: list[str], counts: dict[str, int], limit: int = WORKSHEET_ITEMS) -> set[str]:
    """The terms a printed worksheet asks about: the article's most used ones."""
    ranked = sorted(terms, key=lambda t: (-counts.get(t, 0), terms.index(t)))
    return set(ranked[:limit])


def accepted_answers(entry: Entry, written: str, converters: list[Converter]) -> list[str]:
    """Every way a trainee may type the term, in every script, normalised."""
    forms = {written, entry.term, *entry.aliases}
    if entry.zh_hant:
        forms.add(entry.zh_hant)
    for converter in converters:
        forms |= {converter.convert(form) for form in list(forms)}
    return sorted({normalise_answer(f) for f in forms if normalise_answer(f)})


def anki_deck(rows: list[dict[str, str]], deck: str) -> str:
    """A CSV deck Anki imports as is (its file headers name the separator, columns and deck)."""
    out = io.StringIO()
    out.write("#separator:Comma\n#html:true\n#columns:Front,Back,Tags\n#tags column:3\n")
    out.write(f"#deck:{deck.replace(chr(10), ' ')}\n")
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        back = "<br>".join(_html(x) for x in (row["pinyin"], row["english"], row["definition"]))
        writer.writerow([_html(row["term"]), back, row["tags"]])
    return out.getvalue()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---- pages ----------------------------------------------------------------------------------------

class StudyPages:
    """Renders the study pages and decks (one per process, like ArticleRenderer)."""

    def __init__(self, renderer: ArticleRenderer | SitePages, choose: Choose = distractors) -> None:
        self.renderer = renderer
        self.choose = choose   # a quiz question's wrong options (the build passes one that notes the choice)

    def study(self, parsed: ParsedArticle) -> ArticleStudy:
        """What the exercises of one article are made from (the same in every script)."""
        terms = parsed.index.terms
        counts: dict[str, int] = {}
        for occurrence in parsed.index.occurrences:
            counts[occurrence.term] = counts.get(occurrence.term, 0) + 1
        return ArticleStudy(parsed.slug, terms, counts, make_blanks(sentences(parsed.tokens), terms, parsed.slug))

    def render_article(self, study: ArticleStudy, rendered: RenderedArticle) -> dict[str, str]:
        """The study page and deck of one article in every script: {site path: text}."""
        files = {}
        for variant in self.renderer.config.variants:
            title = rendered.titles[variant.lang]
            key = urls.study(study.slug)
            context = self.renderer.context(key, variant)
            context["article"] = context["link"](rendered.key)
            context["handout"] = context["link"](urls.handout(study.slug))
            files[path_of(variant, key)] = self._page(key, variant, context, title, study.terms, study.counts,
                                                      study.blanks, urls.deck(study.slug), {})
            files[path_of(variant, urls.deck(study.slug))] = self._deck(variant, study.terms, title, study.slug)
        return files

    def render_site(self, studies: list[ArticleStudy], titles: dict[str, dict[str, str]], counts: dict[str, int],
                    articles: int) -> dict[str, str]:
        """The whole site's study page and deck in every script: every term the articles use
        (``counts``: its uses on the site), from the study items of the newest articles and of
        those that give a term its fill-in, in site order, of the site's ``articles``."""
        blanks: dict[str, Blank] = {}
        for study in studies:            # newest article first: its sentence is the one asked
            for blank in study.blanks:
                blanks.setdefault(blank.term, blank)
        terms = sorted(counts, key=lambda t: self.renderer.glossary.entries.index(self.renderer.glossary.by_id[t]))
        files = {}
        for variant in self.renderer.config.variants:
            context = self.renderer.context(SITE_STUDY, variant)
            context["article"] = context["handout"] = ""
            # The newest articles' study pages (every article's page links its own): a list of
            # them all would grow with the site.
            context["articles"] = [(context["link"](urls.study(s.slug)), titles[s.slug][variant.lang], len(s.terms))
                                   for s in studies[:HOME_ARTICLES]]
            context["older_articles"] = max(0, articles - HOME_ARTICLES)
            sources = {s.slug: context["link"](urls.article(s.slug)) for s in studies}
            title = self.renderer.converters[variant.lang].convert(self.renderer.config.title)
            files[path_of(variant, SITE_STUDY)] = self._page(SITE_STUDY, variant, context, title, terms, counts,
                                                             [blanks[t] for t in terms if t in blanks], SITE_DECK, sources)
            files[path_of(variant, SITE_DECK)] = self._deck(variant, terms, title, "all")
        return files

    def _cards(self, variant: VariantSpec, terms: list[str]) -> list[dict]:
        ctx = self.renderer.render_context(variant, "", None)
        convert = self.renderer.converters[variant.lang].convert
        by_id = self.renderer.glossary.by_id
        return [{"id": t, **ctx.entry(t), "category": convert(by_id[t].category), "clue": convert(masked_definition(by_id[t]))}
                for t in terms]

    def _page(self, key: str, variant: VariantSpec, context: dict, title: str, terms: list[str],
              counts: dict[str, int], blanks: list[Blank], deck: str, sources: dict[str, str]) -> str:
        r = self.renderer
        glossary = r.glossary
        converter = r.converters[variant.lang]
        cards = [{**card, "href": context["link"](urls.term(card["id"]))} for card in self._cards(variant, terms)]
        made = make_questions(terms, glossary, self.choose)
        # Options are only named: a wrong option's definition is no part of this page.
        shown = {o: shown_term(*glossary.names[o], converter) for q in made for o in q.options}
        on_sheet = worksheet_terms(terms, counts)
        questions = []
        for q in made:
            questions.append({"term": q.term, "prompt": converter.convert(q.prompt), "worksheet": q.term in on_sheet,
                              "options": [(o, shown[o]) for o in q.options], "letter": "ABCDEFGH"[q.options.index(q.term)],
                              "answer": shown[q.term]})
        converters = list(r.converters.values())
        items = []
        for blank in blanks:
            before, written, after = converter.convert_parts([blank.before, blank.written, blank.after])
            entry = glossary.by_id[blank.term]
            link = (sources[blank.slug] if sources else context["article"]) + f"#{blank.anchor}"
            items.append({"term": blank.term, "before": before, "written": written, "after": after,
                          "size": len(written), "accept": "|".join(accepted_answers(entry, blank.written, converters)),
                          "pinyin": entry.pinyin, "link": link, "worksheet": blank.term in on_sheet,
                          "label": blank.anchor.replace("p", "¶", 1) if blank.anchor.startswith("p") else blank.anchor})
        context.update(title=title, cards=cards, questions=questions, blanks=items, deck=context["link"](deck),
                       storage=f"{r.config.name}:study:{key}", site_kit=context["link"](SITE_STUDY),
                       articles=context.get("articles", []), older_articles=context.get("older_articles", 0),
                       is_site=key == SITE_STUDY)
        return r.render_template("study.html", context)

    def _deck(self, variant: VariantSpec, terms: list[str], title: str, tag: str) -> str:
        rows = [{**card, "tags": f"{card['category']} {tag}"} for card in self._cards(variant, terms)]
        site = self.renderer.converters[variant.lang].convert(self.renderer.config.title)
        return anki_deck(rows, f"{site}::{title}" if title != site else site)
