"""Plan an import against the directory in bulk, then apply it all-or-nothing.

Parsers (one module per NHS file format) turn a file into records; this module alone decides
what is new, changed, closed or unchanged, and writes. A rejected file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from gpvoice.core import audit

from .. import footprint, ods
from ..models import ListSize, Organisation, OrgStatus, OrgType
from .report import ImportReport, Problems

Key = tuple[str, str]  # (org_type, ods_code)
# Parents are written before children so that links can point at them.
RANK: dict[str, int] = {
    OrgType.REGION: 0,
    OrgType.ICB: 1,
    OrgType.SUB_ICB: 2,
    OrgType.PCN: 3,
    OrgType.PRACTICE: 4,
}
LINK_FIELDS = ("pcn", "sub_icb", "icb", "region")


@dataclass
class OrgRecord:
    org_type: str
    code: str
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    # Used only when the organisation is new, e.g. a name for a parent known only by its code.
    defaults: dict[str, Any] = field(default_factory=dict)
    links: dict[str, Key | None] = field(default_factory=dict)
    # Fields (values or links) that another importer owns while its file lists the organisation,
    # e.g. the practice map defers a practice's name to epraccur, so the two never undo each other.
    defer_to: dict[str, str] = field(default_factory=dict)

    def own(self, org: Organisation | None, name: str) -> bool:
        """Whether this record, not another importer, decides the field ``name`` of ``org``."""
        owner = self.defer_to.get(name)
        return org is None or owner is None or owner not in listed(org)

    @property
    def key(self) -> Key:
        return (self.org_type, self.code)


@dataclass
class ListSizeRecord:
    code: str
    extract_date: date
    patients: int
    line: int


@dataclass
class ParsedFile:
    importer: str
    layout: str
    rows: int = 0
    records: dict[Key, OrgRecord] = field(default_factory=dict)
    list_sizes: list[ListSizeRecord] = field(default_factory=list)
    skipped: int = 0
    skipped_reason: str = ""
    problems: Problems = field(default_factory=Problems)
    # Active organisations of these types, last written by this importer and absent from the
    # file, are marked closed: a national file that no longer lists them says they have gone.
    close_missing: frozenset[str] = frozenset()

    def add(self, record: OrgRecord) -> None:
        """Keep the first mention of each organisation; parents repeat on every child row."""
        self.records.setdefault(record.key, record)

    def add_parent_stub(self, org_type: str, code: str, line: int) -> Key:
        """A parent known here only by its code: created if missing, otherwise left alone."""
        self.records.setdefault((org_type, code), OrgRecord(org_type, code, line, defaults={"name": code}))
        return (org_type, code)


Progress = Callable[[int], None]


def run_import(
    parsed: ParsedFile, *, apply: bool, actor: Any = None, progress: Progress | None = None
) -> ImportReport:
    report = ImportReport(
        importer=parsed.importer,
        layout=parsed.layout,
        rows=parsed.rows,
        skipped=parsed.skipped,
        skipped_reason=parsed.skipped_reason,
        problems=parsed.problems,
    )
    if not report.ok:
        return report
    with transaction.atomic():
        plan = _Plan(parsed)
        plan.check_list_sizes(report.problems)
        if not report.ok:
            return report
        plan.count(report)
        if apply and (report.has_changes or plan.list_sizes_to_write or plan.newly_listed):
            plan.apply(progress)
            # Footprints (and the aggregates kept over them) follow the practices this import
            # created, moved, closed, reopened or re-sized, in its transaction (ADR 0008).
            footprint.after_import(practice_ids=plan.practices_touched)
            audit.record(
                action="directory.import.applied",
                actor=actor,
                data={"importer": parsed.importer}
                | {
                    k: getattr(report, k) for k in ("layout", "rows", "new", "changed", "closed", "unchanged")
                },
            )
        report.applied = apply
    return report


class _Plan:
    def __init__(self, parsed: ParsedFile) -> None:
        self.parsed = parsed
        types = {r.org_type for r in parsed.records.values()} | set(parsed.close_missing)
        types |= {key[0] for r in parsed.records.values() for key in r.links.values() if key}
        if parsed.list_sizes:
            types.add(OrgType.PRACTICE)
        self.existing: dict[Key, Organisation] = {
            (o.org_type, o.ods_code): o for o in Organisation.objects.filter(org_type__in=types)
        }
        self.new = [r for r in parsed.records.values() if r.key not in self.existing]
        self.changed = [
            r
            for r in parsed.records.values()
            if r.key in self.existing and self._differs(r, self.existing[r.key])
        ]
        self.unchanged = len(parsed.records) - len(self.new) - len(self.changed)
        name = parsed.importer
        synthetic = _is_synthetic_file(parsed)
        self.to_close = [
            org
            for key, org in self.existing.items()
            if org.org_type in parsed.close_missing
            and name in listed(org)
            and org.status != OrgStatus.CLOSED
            and key not in parsed.records
            # A file speaks only for its own kind of code: a national file never closes the demo's
            # synthetic practices, and the demo's file never closes the real ones (ods.SYNTHETIC).
            and ods.is_synthetic(org.org_type, org.ods_code) == synthetic
        ]
        # Unchanged records this importer has not listed before: bookkeeping, not a change to report.
        changed_keys = {r.key for r in self.changed}
        self.newly_listed = [
            self.existing[r.key]
            for r in parsed.records.values()
            if r.key in self.existing
            and r.key not in changed_keys
            and name not in listed(self.existing[r.key])
        ]
        self.list_sizes_to_write: list[ListSizeRecord] = []
        self.list_sizes_unchanged = 0
        self.practices_touched: set[int] = set()

    def _reopens(self, record: OrgRecord, org: Organisation) -> bool:
        """Back in a file that had dropped it: the absence closed it, so its return reopens it."""
        return (
            record.org_type in self.parsed.close_missing
            and org.status == OrgStatus.CLOSED
            and "status" not in record.values
            and self.parsed.importer not in listed(org)
        )

    def _differs(self, record: OrgRecord, org: Organisation) -> bool:
        if self._reopens(record, org):
            return True
        if any(getattr(org, name) != value for name, value in record.values.items() if record.own(org, name)):
            return True
        for name, target in record.links.items():
            if not record.own(org, name):
                continue
            if target is not None and target not in self.existing:
                return True  # a parent that is new in this file
            target_id = self.existing[target].pk if target else None
            if getattr(org, f"{name}_id") != target_id:
                return True
        return False

    def check_list_sizes(self, problems: Problems) -> None:
        if not self.parsed.list_sizes:
            return
        codes = {r.code for r in self.parsed.list_sizes}
        practices = {c: o for (t, c), o in self.existing.items() if t == OrgType.PRACTICE and c in codes}
        current = {
            (ls.organisation_id, ls.extract_date): ls.patients
            for ls in ListSize.objects.filter(organisation__in=practices.values())
        }
        for record in self.parsed.list_sizes:
            org = practices.get(record.code)
            if org is None:
                self.parsed.skipped += 1
                self.parsed.skipped_reason = "practices not in the directory: import the practice map first"
                continue
            if current.get((org.pk, record.extract_date)) == record.patients:
                self.list_sizes_unchanged += 1
            else:
                self.list_sizes_to_write.append(record)
        self.practices = practices
        self.existing_sizes = current

    def count(self, report: ImportReport) -> None:
        new_sizes = [
            r for r in self.list_sizes_to_write if (self._pid(r), r.extract_date) not in self.existing_sizes
        ]
        report.new = len(self.new) + len(new_sizes)
        report.changed = len(self.changed) + len(self.list_sizes_to_write) - len(new_sizes)
        report.closed = len(self.to_close)
        report.unchanged = self.unchanged + self.list_sizes_unchanged
        report.skipped = self.parsed.skipped
        report.skipped_reason = self.parsed.skipped_reason

    def _pid(self, record: ListSizeRecord) -> int:
        return self.practices[record.code].pk

    def apply(self, progress: Progress | None) -> None:
        now = timezone.now()
        # New organisations go in parents first, each with its links already set.
        for rank in sorted(set(RANK.values()) | {9}):
            batch = [r for r in self.new if RANK.get(r.org_type, 9) == rank]
            orgs = [
                self._built(r, Organisation(org_type=r.org_type, ods_code=r.code, **r.defaults), now)
                for r in batch
            ]
            Organisation.objects.bulk_create(orgs, batch_size=1000)
            if batch and orgs[0].pk is None:  # a backend that does not return ids
                orgs = list(
                    Organisation.objects.filter(
                        org_type__in={r.org_type for r in batch}, ods_code__in=[r.code for r in batch]
                    )
                )
            self.existing.update({(o.org_type, o.ods_code): o for o in orgs})
            self.practices_touched |= {o.pk for o in orgs if o.org_type == OrgType.PRACTICE}
            if progress:
                progress(len(batch))
        touched = [self._built(r, self.existing[r.key], now) for r in self.changed]
        for org in self.to_close:
            org.status, org.closed_on, org.updated_at = OrgStatus.CLOSED, org.closed_on or now.date(), now
            set_listed(org, self.parsed.importer, listed=False)
            touched.append(org)
        for org in self.newly_listed:
            set_listed(org, self.parsed.importer, listed=True)
            touched.append(org)
        names = {"source", "listed_by", "updated_at", "status", "closed_on"}
        for record in self.changed:
            names |= set(record.values) | set(record.links)
        update_rows(touched, sorted(names))
        bookkeeping = {o.pk for o in self.newly_listed}  # listed_by only: nothing a footprint reads
        self.practices_touched |= {
            o.pk for o in touched if o.org_type == OrgType.PRACTICE and o.pk not in bookkeeping
        }
        if progress:
            progress(len(touched))
        self._write_list_sizes()

    def _built(self, record: OrgRecord, org: Organisation, now: object) -> Organisation:
        if self._reopens(record, org):
            org.status, org.closed_on = OrgStatus.ACTIVE, None
        owner = org if org.pk else None
        for name, value in record.values.items():
            if record.own(owner, name):
                setattr(org, name, value)
        for name, target in record.links.items():
            if record.own(owner, name):
                setattr(org, f"{name}_id", self.existing[target].pk if target else None)
        set_listed(org, self.parsed.importer, listed=True)
        org.source, org.updated_at = self.parsed.importer, now  # type: ignore[assignment]
        return org

    def _write_list_sizes(self) -> None:
        if not self.list_sizes_to_write:
            return
        rows = [
            ListSize(organisation_id=self._pid(r), extract_date=r.extract_date, patients=r.patients)
            for r in self.list_sizes_to_write
        ]
        ListSize.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["organisation", "extract_date"],
            update_fields=["patients"],
        )
        # The latest extract per practice becomes its shown list size.
        latest: dict[int, ListSize] = {}
        for ls in ListSize.objects.filter(organisation_id__in={r.organisation_id for r in rows}).order_by(
            "organisation_id", "extract_date"
        ):
            latest[ls.organisation_id] = ls
        orgs = list(Organisation.objects.filter(pk__in=latest))
        self.practices_touched |= set(latest)
        for org in orgs:
            org.list_size, org.list_size_date = latest[org.pk].patients, latest[org.pk].extract_date
        update_rows(orgs, ["list_size", "list_size_date"])


def _is_synthetic_file(parsed: ParsedFile) -> bool:
    """A file whose organisations of the types it closes all have synthetic codes (demo, scale)."""
    codes = [(t, c) for (t, c) in parsed.records if t in parsed.close_missing]
    return bool(codes) and all(ods.is_synthetic(t, c) for t, c in codes)


def listed(org: Organisation) -> set[str]:
    return {name for name in org.listed_by.split(",") if name}


def set_listed(org: Organisation, importer: str, *, listed: bool) -> None:
    names = {name for name in org.listed_by.split(",") if name and name != importer}
    org.listed_by = ",".join(sorted(names | ({importer} if listed else set())))


def update_rows(orgs: list[Organisation], names: list[str]) -> None:
    """One prepared UPDATE run for every row (executemany).

    bulk_update builds a CASE per field per batch, which SQLite evaluates row by row: for a
    national file that took ten seconds where this takes well under one.
    """
    if not orgs:
        return
    model_fields: list[Any] = [Organisation._meta.get_field(name) for name in names]
    columns = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in model_fields)
    table = connection.ops.quote_name(Organisation._meta.db_table)
    sql = f"UPDATE {table} SET {columns} WHERE id = %s"  # noqa: S608 - names come from the model
    params = [
        [f.get_db_prep_save(getattr(org, f.attname), connection) for f in model_fields] + [org.pk]
        for org in orgs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
