"""The NHS file importers: one module per file format, one engine that plans and applies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import epraccur, list_sizes, pcn_membership, practice_map
from .engine import ParsedFile, Progress, run_import
from .reading import FileRejected, read_text
from .report import ImportReport


@dataclass(frozen=True)
class Importer:
    name: str
    title: str
    parse: Callable[[Path | bytes], ParsedFile]


def _text_parser(parse: Callable[[str], ParsedFile]) -> Callable[[Path | bytes], ParsedFile]:
    return lambda source: parse(read_text(source))


IMPORTERS: dict[str, Importer] = {
    i.name: i
    for i in (
        Importer(
            practice_map.NAME, "Practice mapping (gp-reg-pat-prac-map.csv)", _text_parser(practice_map.parse)
        ),
        Importer(
            list_sizes.NAME, "Registered patients (gp-reg-pat-prac-all.csv)", _text_parser(list_sizes.parse)
        ),
        Importer(epraccur.NAME, "ODS GP practices (epraccur.csv)", _text_parser(epraccur.parse)),
        Importer(
            pcn_membership.NAME, "PCN core partner details (ePCN.xlsx or CSV)", pcn_membership.parse_source
        ),
    )
}


def import_file(
    kind: str, source: Path | bytes, *, apply: bool, actor: Any = None, progress: Progress | None = None
) -> ImportReport:
    """Read, validate and (when ``apply``) write one file. A rejected file changes nothing."""
    importer = IMPORTERS[kind]
    try:
        parsed = importer.parse(source)
    except FileRejected as error:
        report = ImportReport(importer=kind, layout="not recognised")
        report.problems.messages.append(str(error))
        report.problems.total = 1
        return report
    return run_import(parsed, apply=apply, actor=actor, progress=progress)


__all__ = ["IMPORTERS", "FileRejected", "ImportReport", "import_file"]
