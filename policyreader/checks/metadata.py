"""Articles that would go out with placeholder metadata: a title made from the file name, no
date or no source. A warning (so ``--strict`` fails), naming the sidecar that should say it."""
from __future__ import annotations

import datetime as dt

from ..errors import Report
from ..sources.seeds import Seed


def check_metadata(seed: Seed, title: str, date: object, source: str | None, report: Report) -> None:
    """Warn once per seed about every placeholder in its title, date and source."""
    problems, keys = [], []
    if not seed.sidecar.title and title == seed.path.stem:
        problems.append(f"the title is the file name {title!r}")
        keys.append("title")
    if not isinstance(date, dt.date):
        problems.append("no date")
        keys.append("date (YYYY-MM-DD)")
    if not source:
        problems.append("no source")
        keys.append("source")
    if problems:
        where = seed.sidecar_shown if seed.sidecar.path else seed.shown
        new = "" if seed.sidecar.path else " (a new sidecar)"
        report.warn(where, None, f"placeholder metadata: {', '.join(problems)}; set {', '.join(keys)} in "
                    f"{seed.sidecar_shown}{new}")
