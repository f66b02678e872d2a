"""The offline search index: small script files, of which a query loads only the few it needs.

Index and query are tokenized the same way: text is first normalised (Traditional forms of the
corpus mapped to their Simplified source, Latin lowercased), then cut into CJK character
bigrams and Latin/number words; every glossary term is also a whole token (``t:ID``) for the
articles where it is marked. A query in either script therefore finds the same paragraphs.

The index is split so that what a reader downloads depends on the query, not on the corpus
(every file sets one entry of ``window.PR_SEARCH``, so it loads through a ``<script>``
element, from ``file://`` too):

- ``search/meta.js`` per script: the normalisation table, the glossary's terms (without
  definitions), the number of articles and the order results are shown in (newest first);
- ``search/p/B.js``, shared by every script: the postings of the tokens whose hash falls in
  bucket B (a query loads one bucket per token it has);
- ``search/t/ID.js`` per script: one article's title and numbered paragraphs, loaded only
  for the results shown (the browser checks the phrase there and cuts the snippet);
- ``search/d/B.js`` per script: glossary definitions, loaded for the terms shown.

Articles are numbered in the order of their seed files, so an edit keeps every number and
changes only the postings of the tokens it adds or removes, and a new seed usually comes last.
The browser side lives in ``static/reader.js`` and follows the same rules.
"""
from __future__ import annotations

import base64
import json
import re

from ..sources.glossary import Glossary
from ..text.cjk import HAN
from ..variants.convert import Converter, opencc_characters
from . import urls

TOKEN_RUN = re.compile(rf"[{HAN}]+|[a-z0-9]+(?:[.%][a-z0-9]+)*")
IS_HAN = re.compile(rf"[{HAN}]")
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
FOLDER = urls.SEARCH_INDEX.split("/")[0]
REGISTRY = "PR_SEARCH"
BUCKET_BYTES = 8 * 1024        # aim of one postings file: a query loads one per token
DEFINITION_BYTES = 4 * 1024    # aim of one definitions file
MAX_BUCKETS = 4096


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
        if len(run) > 1 and IS_HAN.match(run):
            result.update(map(str.__add__, run, run[1:]))
        else:
            result.add(run)
    return result


def base36(number: int) -> str:
    """A non-negative number in base 36 (what JavaScript's ``parseInt(s, 36)`` reads)."""
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = BASE36[rest] + digits
        if not number:
            return digits


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


def article_tokens(texts: list[str], terms: list[str], translate: dict[int, str]) -> set[str]:
    """All tokens of one article: the bigrams and words of its paragraphs, and its terms.

    Made once from the Simplified source and used for every script: normalisation maps each
    Traditional form back to its source character, so the tokens are the same.
    """
    found: set[str] = {f"t:{term}" for term in terms}
    for text in texts:
        found |= tokens(normalise(text, translate))
    return found


# ---- postings: which articles hold a token, as a bit mask over article numbers -------------

def bucket_of(key: str, count: int) -> int:
    """The file a token (or a term id) lives in: FNV-1a over its UTF-16 code units, as
    reader.js computes it, modulo a power of two."""
    value = 0x811C9DC5
    data = key.encode("utf-16-le")
    for i in range(0, len(data), 2):
        value = ((value ^ (data[i] | data[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return value & (count - 1)


def bucket_count(total_bytes: int, aim: int) -> int:
    """How many files: the smallest power of two that keeps each near ``aim`` bytes."""
    count = 1
    while count * aim < total_bytes and count < MAX_BUCKETS:
        count *= 2
    return count


def encode_mask(mask: int) -> str:
    """The articles of a token (bit i: article i) as text.

    Few articles: their numbers as base-36 gaps ("3,a,1": 3, 13, 14). Many: ``~OFFSET~BASE64``,
    the bytes of the mask from byte OFFSET on (bit i of byte k is article 8k+i). The form is
    chosen from the mask alone, so the same articles always give the same text.
    """
    count = mask.bit_count()
    low = ((mask & -mask).bit_length() - 1) >> 3
    span = (mask.bit_length() + 7) // 8 - low
    if count * 3 > 4 * ((span + 2) // 3):
        data = (mask >> (low * 8)).to_bytes(span, "little")
        return f"~{base36(low)}~{base64.b64encode(data).decode('ascii')}"
    out, previous, rest = [], 0, mask
    while rest:
        bit = rest & -rest
        position = bit.bit_length() - 1
        out.append(base36(position - previous))
        previous = position
        rest ^= bit
    return ",".join(out)


def decode_mask(text: str) -> int:
    """The bit mask ``encode_mask`` wrote."""
    if text.startswith("~"):
        _, offset, data = text.split("~")
        return int.from_bytes(base64.b64decode(data), "little") << (int(offset, 36) * 8)
    mask, position = 0, 0
    for gap in text.split(","):
        position += int(gap, 36)
        mask |= 1 << position
    return mask


def script_file(name: str, data: object) -> bytes:
    """One index file: sets ``window.PR_SEARCH[name]`` (loadable by a script element)."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=isinstance(data, dict))
    return f'(window.{REGISTRY}=window.{REGISTRY}||{{}})["{name}"]={payload};\n'.encode("utf-8")


def read_script_file(data: bytes) -> object:
    """The data of an index file ``script_file`` wrote."""
    text = data.decode("utf-8")
    return json.loads(text[text.index("]=") + 2:-2])


def postings_path(bucket: int) -> str:
    """Where a postings file lives, under the first script's folder."""
    return f"{FOLDER}/p/{bucket}.js"


def postings_file(bucket: int, entries: dict[str, str]) -> bytes:
    """One postings file: token → encoded mask, for the tokens of one bucket."""
    return script_file(f"p/{bucket}", entries)


# ---- per script: one file per article, the definitions, the meta file ----------------------

def text_path(number: int) -> str:
    """Where article ``number``'s text lives, under each script's folder."""
    return f"{FOLDER}/t/{number}.js"


def text_file(number: int, url: str, title: str, paragraphs: list[tuple[str, str]]) -> bytes:
    """One article's title and numbered paragraphs (anchor, text) in one script."""
    return script_file(f"t/{number}", [url, title, [list(p) for p in paragraphs]])


def definition_files(glossary: Glossary, converter: Converter) -> dict[str, bytes]:
    """The glossary's definitions in one script, bucketed by term id: {path: file}."""
    definitions = {e.id: converter.convert(e.definition) for e in glossary.entries}
    count = bucket_count(sum(len(k) + len(v.encode("utf-8")) + 6 for k, v in definitions.items()), DEFINITION_BYTES)
    buckets: list[dict[str, str]] = [{} for _ in range(count)]
    for term_id, text in definitions.items():
        buckets[bucket_of(term_id, count)][term_id] = text
    return {f"{FOLDER}/d/{b}.js": script_file(f"d/{b}", entries) for b, entries in enumerate(buckets)}


def meta_file(glossary: Glossary, converter: Converter, table: dict[str, str], articles: int, order: list[int],
              postings: int, definitions: int, up: str) -> bytes:
    """The file every query loads first, for one script: what to normalise, the terms, how
    many articles and postings files there are, and the articles newest first.

    ``up`` leads from this script's search page to the site's top (where the postings are)."""
    translate = translation(table)
    terms = []
    for entry in glossary.entries:
        forms = [entry.zh_hant if entry.zh_hant and converter.spec.converts else converter.convert(entry.term)]
        forms += [converter.convert(a) for a in entry.aliases]
        # The shown form's own normal form is left for the page to work out (one less copy of
        # every term in the file every query loads).
        shown = normalise(forms[0], translate)
        terms.append([entry.id, forms[0], entry.pinyin, entry.english,
                      sorted({normalise(f, translate) for f in [entry.term, *entry.aliases, *forms]} - {shown})])
    width = len(base36(max(articles - 1, 0)))
    data = {"n": articles, "postings": postings, "definitions": definitions, "width": width,
            "order": "".join(base36(i).rjust(width, "0") for i in order), "glossary": urls.GLOSSARY,
            "termdir": urls.TERMS_DIR, "up": up, "table": "".join(a + b for a, b in table.items()), "terms": terms}
    return script_file("meta", data)
