"""Find many terms at once in text without word boundaries: leftmost-longest Aho–Corasick."""
from __future__ import annotations

import ahocorasick


class Matcher:
    """Leftmost-longest matching of many terms in text with no word boundaries (Aho–Corasick)."""

    def __init__(self, forms: dict[str, str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for form, term_id in forms.items():
            self._automaton.add_word(form, (term_id, len(form)))
        self._empty = not forms
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping matches as (start, end, id), leftmost first; the longest form wins.

        pyahocorasick's own ``iter_long`` misses matches after a failed longer one (forms
        力 and 东力东 in 东力 find nothing), so leftmost-longest is chosen here from all matches.
        """
        if self._empty:
            return []
        found = sorted((end - length + 1, -length, term_id) for end, (term_id, length) in self._automaton.iter(text))
        chosen, position = [], 0
        for start, negative_length, term_id in found:
            if start >= position:
                position = start - negative_length
                chosen.append((start, position, term_id))
        return chosen
