"""Regressions found by the property tests, kept as plain tests."""
from __future__ import annotations

from pathlib import Path

from policyreader.errors import Report
from policyreader.ingest.assemble import assemble
from policyreader.sources.seeds import Seed, Sidecar


def test_a_promo_over_two_lines_is_one_leftover_and_no_text_is_lost() -> None:
    text = "\n\n## 总书记的话\n\n建设现代化产业体系，是重要战略任务。\n\n扫码观看\n微视频\n\n各地区要找准定位。\n"
    seed = Seed(path=Path("seeds/x.txt"), shown="seeds/x.txt", sidecar_shown="seeds/x.yaml", sha256="0",
                encoding="utf-8", text=text, sidecar=Sidecar(path=None, sha256=None), fixes=())
    doc = assemble(seed, Report())
    assert [(x.kind, x.text) for x in doc.leftovers] == [("promo", "扫码观看微视频")]
