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

from .glossary import Glossary
from .pages import RenderedArticle
from .variants import Converter

CJK = r"\u3400-\u9fff\uf900-\ufaff"
TOKEN_RUN = re.compile(rf"[{CJK}]+|[a-z0-9]+(?:[.%][a-z0-9]+)*")
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def normalise(text: str, table: dict[str, str]) -> str:
    """Map Traditional forms to the Simplified source and lowercase Latin (length-preserving)."""
    return "".join(table.get(ch, ch) for ch in text).lower()


def tokens(normalised: str) -> set[str]:
    """CJK bigrams (a lone character stands for itself) and Latin/number words."""
    result: set[str] = set()
    for run in TOKEN_RUN.findall(normalised):
        if re.match(rf"[{CJK}]", run):
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


def _postings(ids: list[int]) -> str:
    """Sorted paragraph ids as base-36 gaps: compact, and cheap to decode in JS."""
    out, previous = [], 0
    for value in sorted(ids):
        out.append(_base36(value - previous))
        previous = value
    return ",".join(out)


def normalisation_table(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """From (source, converted) text pairs, map each differing converted character to its source."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for source, converted in pairs:
        if len(source) != len(converted):
            continue
        for a, b in zip(source, converted):
            if a != b:
                counts[b][a] += 1
    return {b: max(sources, key=lambda s: (sources[s], s)) for b, sources in sorted(counts.items())}


def build_index(articles: list[RenderedArticle], glossary: Glossary, converter: Converter,
                table: dict[str, str], link_prefix: str = "") -> str:
    """The index for one script, as a JavaScript file that sets ``window.POLICY_READER_INDEX``."""
    docs, paras = [], []
    postings: dict[str, list[int]] = defaultdict(list)
    lang = converter.spec.lang
    for doc_id, article in enumerate(articles):
        docs.append([f"{link_prefix}{article.key}", article.titles[lang], len(paras)])
        found = {f"t:{term}" for term in article.index.terms}
        for paragraph, text in zip(article.index.paragraphs, article.paragraphs[lang]):
            paras.append([f"p{paragraph.number}", text])
            found |= tokens(normalise(text, table))
        docs[-1].append(len(paras))
        for token in found:
            postings[token].append(doc_id)
    terms = []
    for entry in glossary.entries:
        forms = [entry.zh_hant if entry.zh_hant and converter.spec.converts else converter.convert(entry.term)]
        forms += [converter.convert(a) for a in entry.aliases]
        terms.append([entry.id, forms[0], entry.pinyin, entry.english, converter.convert(entry.definition),
                      sorted({normalise(f, table) for f in [entry.term, *entry.aliases, *forms]})])
    # CJK bigrams sharing a posting list are stored as one string of 2-character tokens.
    groups: dict[str, list[str]] = defaultdict(list)
    words: dict[str, str] = {}
    for token, ids in sorted(postings.items()):
        if len(token) == 2 and re.match(rf"[{CJK}]{{2}}$", token):
            groups[_postings(ids)].append(token)
        else:
            words[token] = _postings(ids)
    data = {"docs": docs, "paras": paras, "terms": terms, "glossary": f"{link_prefix}glossary.html",
            "table": "".join(a + b for a, b in table.items()),
            "bigrams": [[ids, "".join(tokens)] for ids, tokens in sorted(groups.items())], "words": words}
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"window.POLICY_READER_INDEX={payload};\n"
