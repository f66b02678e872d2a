"""The offline search index: one plain script file per script, loaded only when a reader searches.

Index and query are tokenized the same way: text is first normalised (Traditional forms of the
corpus mapped to their Simplified source, Latin lowercased), then cut into CJK character
bigrams and Latin/number words; every glossary term is also a whole token (``t:ID``) for the
articles where it is marked. Postings are per article (small), and the browser then checks
that article's paragraphs for the phrase, for the snippet and the ¶ link. A query in either script therefore finds the same paragraphs.
The browser side lives in ``static/reader.js`` and tokenizes with the same rules.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict

from ..sources.glossary import Glossary
from ..text.cjk import HAN
from ..variants.convert import Converter, opencc_characters
from . import urls
from .pages import RenderedArticle

TOKEN_RUN = re.compile(rf"[{HAN}]+|[a-z0-9]+(?:[.%][a-z0-9]+)*")
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def translation(table: dict[str, str]) -> dict[int, str]:
    """The normalisation table as ``str.translate`` wants it (make it once, use it often)."""
    return {ord(k): v for k, v in table.items()}


def normalise(text: str, translate: dict[int, str]) -> str:
    """Map Traditional forms to the Simplified source and lowercase Latin (length-preserving)."""
    return text.translate(translate).lower()


def tokens(normalised: str) -> set[str]:
    """CJK bigrams (a lone character stands for itself) and Latin/number words."""
    result: set[str] = set()
    for run in TOKEN_RUN.findall(normalised):
        if re.match(rf"[{HAN}]", run):
            result.update(run[i:i + 2] for i in range(max(1, len(run) - 1)))
        else:
            result.add(run)
    return result


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = BASE36[rest] + digits
        if not number:
            return digits


_SMALL = [_base36(n) for n in range(1296)]   # every gap up to two base-36 digits


def _postings(ids: list[int], total: int) -> str:
    """Sorted article ids as base-36 gaps: compact, and cheap to decode in JS.

    A token in most articles filters nothing: it is stored as "*" (every article), and the
    browser then checks the text itself, as it does for every candidate anyway.
    """
    if total >= 20 and len(ids) * 2 > total:
        return "*"
    out, previous = [], 0
    for value in ids:   # ids arrive in increasing order
        gap = value - previous
        out.append(_SMALL[gap] if gap < 1296 else _base36(gap))
        previous = value
    return ",".join(out)


def normalisation_table(converters: list[Converter]) -> dict[str, str]:
    """Map every Traditional form the converters write back to its Simplified character.

    Built from OpenCC's character dictionary (each character converted on its own, then its
    other listed forms), so it is the same whatever the articles say and every page's tokens
    can be made, and cached, on their own.
    """
    table: dict[str, str] = {}
    characters = opencc_characters()
    keys = sorted(characters)
    for converter in converters:
        if not converter.spec.converts:
            continue
        converted = converter.convert("\n".join(keys)).split("\n")
        for source, form in zip(keys, converted):
            if len(form) == 1 and form != source:
                table.setdefault(form, source)
        for source in keys:
            for form in characters[source]:
                if form != source and form not in characters:
                    table.setdefault(form, source)
    if any(c.spec.corner_quotes for c in converters):   # 「」『』 written for “”‘’
        table.update({"「": "“", "」": "”", "『": "‘", "』": "’"})
    # The browser reads the table two UTF-16 units at a time: keep to the Basic Multilingual Plane.
    return {k: v for k, v in sorted(table.items()) if ord(k) < 0x10000 and ord(v) < 0x10000}


def paragraph_tokens(texts: list[str], terms: list[str], translate: dict[int, str]) -> str:
    """All tokens of one article (bigrams and words of its paragraphs, and its terms), sorted
    and joined by newlines: one string is far cheaper to cache than a set.

    Made once from the Simplified source and used for every script: normalisation maps each
    Traditional form back to its source character, so the tokens are the same.
    """
    found: set[str] = {f"t:{term}" for term in terms}
    for text in texts:
        found |= tokens(normalise(text, translate))
    return "\n".join(sorted(found))


def build_index(articles: list[tuple[RenderedArticle, str]], glossary: Glossary, converter: Converter,
                table: dict[str, str], link_prefix: str = "") -> str:
    """The index for one script (from each article and its tokens), as a JavaScript file that
    sets ``window.POLICY_READER_INDEX``."""
    docs, paras = [], []
    postings: dict[str, list[int]] = defaultdict(list)
    lang = converter.spec.lang
    for doc_id, (article, found) in enumerate(articles):
        docs.append([f"{link_prefix}{article.key}", article.titles[lang], len(paras)])
        paras.extend([f"p{p.number}", text] for p, text in zip(article.index.paragraphs, article.paragraphs[lang]))
        docs[-1].append(len(paras))
        for token in found.split("\n"):
            postings[token].append(doc_id)
    terms = []
    translate = translation(table)
    for entry in glossary.entries:
        forms = [entry.zh_hant if entry.zh_hant and converter.spec.converts else converter.convert(entry.term)]
        forms += [converter.convert(a) for a in entry.aliases]
        terms.append([entry.id, forms[0], entry.pinyin, entry.english, converter.convert(entry.definition),
                      sorted({normalise(f, translate) for f in [entry.term, *entry.aliases, *forms]})])
    # CJK bigrams sharing a posting list are stored as one string of 2-character tokens.
    groups: dict[str, list[str]] = defaultdict(list)
    words: dict[str, str] = {}
    for token, ids in sorted(postings.items()):
        if len(token) == 2 and re.match(rf"[{HAN}]{{2}}$", token):
            groups[_postings(ids, len(docs))].append(token)
        else:
            words[token] = _postings(ids, len(docs))
    data = {"docs": docs, "paras": paras, "terms": terms, "glossary": f"{link_prefix}{urls.GLOSSARY}",
            "termdir": f"{link_prefix}{urls.TERMS_DIR}",
            "table": "".join(a + b for a, b in table.items()),
            "bigrams": [[ids, "".join(tokens)] for ids, tokens in sorted(groups.items())], "words": words}
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"window.POLICY_READER_INDEX={payload};\n"
