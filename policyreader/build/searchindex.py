"""The search index's postings, kept up to date from one build to the next.

A clean build makes every postings file from every article's tokens (gathered in the workers
as bit masks over runs of article numbers, so the build itself only joins them). A later build
changes only what its changes touch: the tokens an edited article gained or lost, and the
tokens of an added article, each in its bucket's file; the other files stay as they were. The
files are a function of the articles' tokens alone, so both ways give the same bytes.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..output.store import Blob, ObjectStore
from ..site.search import (BUCKET_BYTES, bucket_count, bucket_of, decode_mask, encode_mask, postings_file,
                           read_script_file)

FRAGMENT = 64    # articles per fragment (workers send a token's mask over a run this long)


@dataclass
class SearchState:
    """The postings files as published: one blob per bucket, and the size of each bucket's
    entries (what decides how many buckets there are)."""

    count: int
    buckets: list[Blob]
    sizes: list[int]


def entry_size(token: str, encoded: str) -> int:
    """What one token adds to the postings (decides how many files there are)."""
    return len(token.encode("utf-8")) + len(encoded) + 6


DENSE = 16   # runs after which a token's fragments are kept as one growing bit array


@dataclass
class Fragments:
    """Tokens' masks over runs of FRAGMENT article numbers, joined into whole masks at the end.

    A token seen in few runs keeps them as (run, bits) pairs; one seen in many is folded into
    a byte array of bits, so ten thousand articles' tokens take a few megabytes."""

    parts: dict[str, list[tuple[int, int]] | bytearray]

    @classmethod
    def empty(cls) -> "Fragments":
        return cls({})

    def add(self, number: int, tokens: frozenset[str]) -> None:
        """One article's tokens."""
        run, bit = divmod(number, FRAGMENT)
        flag = 1 << bit
        parts = self.parts
        for token in tokens:
            found = parts.get(token)
            if found is None:
                parts[token] = [(run, flag)]
            elif isinstance(found, bytearray):
                _set(found, run, flag)
            elif found[-1][0] == run:
                found[-1] = (run, found[-1][1] | flag)
            else:
                found.append((run, flag))
                if len(found) > DENSE:
                    parts[token] = _dense(found)

    def merge(self, other: "Fragments") -> None:
        """Add another set of fragments (any runs, in any order)."""
        for token, found in other.parts.items():
            pairs = _pairs(found)
            mine = self.parts.get(token)
            if mine is None:
                self.parts[token] = found if isinstance(found, bytearray) else list(pairs)
            elif isinstance(mine, bytearray):
                for run, flag in pairs:
                    _set(mine, run, flag)
            else:
                mine.extend(pairs)
                if len(mine) > DENSE:
                    self.parts[token] = _dense(mine)

    def masks(self) -> dict[str, int]:
        """Every token's whole mask."""
        result = {}
        for token, found in self.parts.items():
            if isinstance(found, bytearray):
                result[token] = int.from_bytes(found, "little")
            elif len(found) == 1:
                run, flag = found[0]
                result[token] = flag << (run * FRAGMENT)
            else:
                result[token] = int.from_bytes(_dense(found), "little")
        return result


WIDTH = FRAGMENT // 8


def _set(data: bytearray, run: int, flag: int) -> None:
    start = run * WIDTH
    if len(data) < start + WIDTH:
        data.extend(bytes(start + WIDTH - len(data)))
    data[start:start + WIDTH] = (int.from_bytes(data[start:start + WIDTH], "little") | flag).to_bytes(WIDTH, "little")


def _dense(pairs: list[tuple[int, int]]) -> bytearray:
    data = bytearray()
    for run, flag in pairs:
        _set(data, run, flag)
    return data


def _pairs(found: list[tuple[int, int]] | bytearray) -> list[tuple[int, int]]:
    if not isinstance(found, bytearray):
        return found
    return [(i // WIDTH, int.from_bytes(found[i:i + WIDTH], "little")) for i in range(0, len(found), WIDTH)
            if any(found[i:i + WIDTH])]


def _files(entries: dict[str, str], count: int, store: ObjectStore) -> tuple[list[Blob], list[int]]:
    buckets: list[dict[str, str]] = [{} for _ in range(count)]
    sizes = [0] * count
    for token, encoded in entries.items():
        b = bucket_of(token, count)
        buckets[b][token] = encoded
        sizes[b] += entry_size(token, encoded)
    return [store.put(postings_file(b, bucket)) for b, bucket in enumerate(buckets)], sizes


def build_all(masks: dict[str, int], store: ObjectStore) -> SearchState:
    """Every postings file from every token's mask."""
    entries = {token: encode_mask(mask) for token, mask in masks.items() if mask}
    count = bucket_count(sum(entry_size(t, e) for t, e in entries.items()), BUCKET_BYTES)
    blobs, sizes = _files(entries, count, store)
    return SearchState(count, blobs, sizes)


def update(state: SearchState, changes: dict[int, tuple[frozenset[str], frozenset[str]]],
           store: ObjectStore) -> SearchState:
    """The postings after some articles changed: number → (tokens before, tokens now); an
    added article has no tokens before, a removed one (only ever the last) none now."""
    touched: dict[int, dict[str, list[tuple[int, bool]]]] = defaultdict(lambda: defaultdict(list))
    for number, (before, now) in changes.items():
        for token in before - now:
            touched[bucket_of(token, state.count)][token].append((number, False))
        for token in now - before:
            touched[bucket_of(token, state.count)][token].append((number, True))
    buckets, sizes = list(state.buckets), list(state.sizes)
    for b, tokens in touched.items():
        entries: dict[str, str] = read_script_file(store.read(buckets[b]))   # type: ignore[assignment]
        for token, flips in tokens.items():
            mask = decode_mask(entries[token]) if token in entries else 0
            for number, on in flips:
                mask = mask | (1 << number) if on else mask & ~(1 << number)
            if mask:
                entries[token] = encode_mask(mask)
            else:
                entries.pop(token, None)
        buckets[b] = store.put(postings_file(b, entries))
        sizes[b] = sum(entry_size(t, e) for t, e in entries.items())
    count = bucket_count(sum(sizes), BUCKET_BYTES)
    if count == state.count:
        return SearchState(count, buckets, sizes)
    # The index grew or shrank past a power of two: every token moves to its new bucket.
    everything: dict[str, str] = {}
    for blob in buckets:
        everything.update(read_script_file(store.read(blob)))   # type: ignore[arg-type]
    blobs, sizes = _files(everything, count, store)
    return SearchState(count, blobs, sizes)
