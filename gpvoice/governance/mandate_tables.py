"""The mandate page's two group-wide tables, one page of each: coverage by PCN (its rows sorted by
PCN name, 5 ms for a national round's 1,300 PCNs) and the practices not yet answered.

Both are the same for every member who asks for the same pages, so they are kept (``core.kept``)
under the round, the two page numbers and the stored counts: an answer (audited in the group's
chain) and a practice joining or leaving the footprint (which moves the counts) show at once; a
change that moves neither (a practice renamed, list sizes imported) within a minute, as on the
group's home page (ADR 17). The page numbers are made valid before they name what is kept, so a
request cannot make up names.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page

from gpvoice.core.kept import kept
from gpvoice.core.models import LeadershipGroup
from gpvoice.core.pagination import CountedPaginator

from . import coverage as cov
from . import selectors
from .models import MandateRound, RoundPcnCoverage


@dataclass(frozen=True)
class Tables:
    pcns: Page  # rows: (PCN name, cells as coverage.cells writes them)
    waiting: Page  # rows: (practice name, ODS code, PCN name)


def _page(rows: list, number: int | str | None, count: int, per_page: int) -> Page:
    """A page holding ``rows``, numbered as the paginator would number the asked-for page."""
    paginator = CountedPaginator([], per_page, count)
    return Page(rows, paginator.get_page(number).number, paginator)


def tables(
    *,
    group: LeadershipGroup,
    round: MandateRound,
    pcn_page: str | int | None,
    waiting_page: str | int | None,
    not_answered: int,
) -> Tables:
    """``not_answered``: the stored count of practices not yet answered (``mandate_status``)."""
    pcns = _page([], pcn_page, RoundPcnCoverage.objects.filter(round=round).count(), selectors.PCN_PAGE)
    waiting = _page([], waiting_page, not_answered, selectors.NOT_ANSWERED_PAGE)

    def work() -> tuple[list, list]:
        pcn_rows = [
            (row.pcn.name if row.pcn else "No PCN", cov.cells(*row.counts()))
            for row in selectors.pcn_coverage_page(round=round, number=pcns.number)
        ]
        waiting_rows = [
            (p.name, p.ods_code, p.pcn.name if p.pcn else "No PCN")
            for p in selectors.not_answered_page(round=round, number=waiting.number, count=not_answered)
        ]
        return pcn_rows, waiting_rows

    # Named by the stored counts as well: a change to the footprint, which moves them in the same
    # transaction (ADR 8) but may not be written in the group's own chain, is shown at once.
    name = f"mandate-tables:{round.pk}:{pcns.number}:{waiting.number}:{pcns.paginator.count}:{not_answered}"
    pcn_rows, waiting_rows = kept(group, name, work)
    return Tables(
        pcns=Page(pcn_rows, pcns.number, pcns.paginator),
        waiting=Page(waiting_rows, waiting.number, waiting.paginator),
    )
