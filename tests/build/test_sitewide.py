"""Site-wide pages: which term page lists an article."""
from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, strategies as st

from policyreader.build.sitewide import term_pages_listing
from policyreader.site.pages import page_batch, term_page_keys
from policyreader.site.urls import term, term_of


@given(st.lists(st.sets(st.sampled_from("abcde")), max_size=70), st.data())
def test_the_page_said_to_list_an_article_is_the_one_whose_batch_holds_it(uses: list[set[str]], data) -> None:
    # Summaries as the site orders them; only their numbers and terms matter here.
    ordered = [SimpleNamespace(number=n, term_parts={t: "x" for t in sorted(terms)}) for n, terms in enumerate(uses)]
    chosen = set(data.draw(st.sets(st.integers(0, max(0, len(uses) - 1)))) if uses else set())
    listing = term_pages_listing(ordered, chosen)
    expected = set()
    for name in "abcde":
        users = [lean.number for lean in ordered if name in lean.term_parts]
        for key in term_page_keys(name, len(users)):
            page = term_of(key)[1]
            if chosen.intersection(page_batch(users, page)):
                expected.add((name, page))
                assert term(name, page) == key
    assert listing == expected
