"""The practice list as CSV: the same filters and selector as the page, streamed row by row."""

from __future__ import annotations

from django.http import HttpRequest, StreamingHttpResponse

from gpvoice.core.exports import csv_response
from gpvoice.core.permissions import group_member

from . import selectors
from .forms import PracticeFilterForm

CHUNK = 500


@group_member()
def practices_csv(request: HttpRequest) -> StreamingHttpResponse:
    form = PracticeFilterForm(request.GET or None, choices=selectors.filter_choices())
    filters = (
        selectors.PracticeFilters(**form.cleaned_data) if form.is_valid() else selectors.PracticeFilters()
    )
    group = request.group  # type: ignore[attr-defined]
    header = [
        "ODS code",
        "name",
        "status",
        "PCN",
        "sub-ICB location",
        "ICB",
        "postcode",
        "registered patients",
    ]
    rows = (
        [
            p.ods_code,
            p.name,
            p.get_status_display(),
            p.pcn.name if p.pcn else "",
            p.sub_icb.name if p.sub_icb else "",
            p.icb.name if p.icb else "",
            p.postcode,
            p.list_size if p.list_size is not None else "",
        ]
        for p in selectors.practice_list(group=group, filters=filters).iterator(chunk_size=CHUNK)
    )
    return csv_response(f"{group.slug}-practices", header, rows)
