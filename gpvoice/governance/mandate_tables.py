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


def tables(
    *,
    group: LeadershipGroup,
    round: MandateRound,
    pcn_page: str | int | None,
    waiting_page: str | int | None,
    not_answered: int,
) -> Tables:
    """``not_answered``: the stored count of practices not yet answered (``mandate_status``)."""
    # Both pages are numbered from their counts alone; their rows are read only in ``work``.
    pcn_count = RoundPcnCoverage.objects.filter(round=round).count()
    pcns = CountedPaginator(selectors.pcn_coverage_rows(round=round), selectors.PCN_PAGE, pcn_count).get_page(
        pcn_page
    )
    waiting = selectors.not_answered_page(round=round, number=waiting_page, count=not_answered)

    def work() -> tuple[list, list]:
        pcn_rows = [(row.pcn.name if row.pcn else "No PCN", cov.cells(*row.counts())) for row in pcns]
        waiting_rows = [(p.name, p.ods_code, p.pcn.name if p.pcn else "No PCN") for p in waiting]
        return pcn_rows, waiting_rows

    # Named by the stored counts as well: a change to the footprint, which moves them in the same
    # transaction (ADR 8) but may not be written in the group's own chain, is shown at once.
    name = f"mandate-tables:{round.pk}:{pcns.number}:{waiting.number}:{pcn_count}:{not_answered}"
    pcn_rows, waiting_rows = kept(group, name, work)
    return Tables(
        pcns=Page(pcn_rows, pcns.number, pcns.paginator),
        waiting=Page(waiting_rows, waiting.number, waiting.paginator),
    )
