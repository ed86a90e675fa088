"""The national directory for load-scale: the real practice map when its files are present,
otherwise a synthetic map in the same shape with reserved codes (``directory.ods.SYNTHETIC``).
Either way it goes in through the importers, the path every NHS file takes."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

from gpvoice.core.scale import Part
from gpvoice.directory import layouts as files
from gpvoice.directory.importers import import_file

MAP_FILE = "gp-reg-pat-prac-map-2026-04.csv"
SIZES_FILE = "gp-reg-pat-prac-all-2026-04.csv"
EPRACCUR_FILE = "epraccur-2026-05.csv"
# The April 2026 map's shape, which the synthetic map copies.
NATIONAL_PRACTICES, SUB_ICBS, ICBS, REGIONS, PRACTICES_PER_PCN = 6168, 106, 36, 7, 5


class ScaleDataError(Exception):
    pass


def real_files(data_dir: Path) -> bool:
    return all((data_dir / name).is_file() for name in (MAP_FILE, SIZES_FILE, EPRACCUR_FILE))


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def real_map(data_dir: Path, practices: int | None) -> tuple[bytes, bytes, bytes]:
    """The real files, cut to the first ``practices`` of the map (all of them by default); the
    ODS file is cut to the same practices, so the directory holds exactly the map's practices."""
    header, *rows = _rows((data_dir / MAP_FILE).read_text(encoding="ascii"))
    rows = rows[:practices] if practices is not None else rows
    codes = {row[2] for row in rows}
    size_header, *sizes = _rows((data_dir / SIZES_FILE).read_text(encoding="ascii"))
    eprac = [r for r in _rows((data_dir / EPRACCUR_FILE).read_text(encoding="ascii")) if r[0] in codes]
    return (
        files.to_csv([header, *rows]),
        files.to_csv(eprac),
        files.to_csv([size_header, *(r for r in sizes if r[5] in codes)]),
    )


def synthetic_map(practices: int, seed: int) -> tuple[bytes, bytes, bytes]:
    """A map of ``practices`` practices with the national proportions of PCNs, sub-ICB locations,
    ICBs and regions, in load-scale's block of the reserved synthetic codes."""
    if practices > 89_999:
        raise ScaleDataError("At most 89,999 synthetic practices (codes Q00000 to Q89999).")
    rng = random.Random(seed)
    scale = practices / NATIONAL_PRACTICES
    icbs = max(1, round(ICBS * scale))
    sub_icbs = max(icbs, round(SUB_ICBS * scale))
    regions = min(REGIONS, icbs)
    map_rows, eprac_rows, size_rows = [], [], []
    for n in range(practices):
        sub = n * sub_icbs // practices  # contiguous blocks, as real sub-ICBs are
        icb = sub % icbs
        region, pcn = f"YQ{icb % regions}", f"UQ{n // PRACTICES_PER_PCN:04d}"
        code, sub_code, icb_code = f"Q{n:05d}", f"Q{sub:04d}", f"Q{icb:04d}"
        name = f"SCALE PRACTICE {n:05d}"
        row = files.map_row(code, pcn, name=name, sub_icb=sub_code, icb=icb_code, region=region)
        row[6], row[9] = f"SCALE PCN {n // PRACTICES_PER_PCN:04d}", f"Scale sub-ICB location {sub:04d}"
        row[12], row[15] = f"Scale Integrated Care Board {icb:04d}", f"Scale region {icb % regions}"
        map_rows.append(row)
        eprac = files.epraccur_row(code, sub_icb=sub_code, icb=icb_code, region=region)
        eprac[1] = name
        eprac_rows.append(eprac)
        size_rows.append(files.size_row(code, str(rng.randint(1_500, 25_000))))
    return files.practice_map(map_rows), files.epraccur(eprac_rows), files.list_sizes(size_rows)


@dataclass
class Area:
    """The codes this run imported, so later steps never pick up other organisations."""

    practices: set[str] = field(default_factory=set)
    sub_icbs: set[str] = field(default_factory=set)
    icbs: set[str] = field(default_factory=set)


def _area(practice_map: bytes) -> Area:
    area = Area()
    for row in csv.DictReader(io.StringIO(practice_map.decode())):
        area.practices.add(row["PRACTICE_CODE"])
        area.sub_icbs.add(row["SUB_ICB_LOCATION_CODE"])
        area.icbs.add(row["ICB_CODE"])
    return area


def load_directory(*, data_dir: Path, practices: int | None, synthetic: bool, seed: int) -> tuple[Part, Area]:
    use_real = not synthetic and real_files(data_dir)
    if use_real:
        sources = real_map(data_dir, practices)
    else:
        sources = synthetic_map(practices if practices is not None else NATIONAL_PRACTICES, seed)
    part = Part("directory", path="service (the NHS file importers)")
    for kind, data in zip(("practice-map", "epraccur", "list-sizes"), sources, strict=True):
        report = import_file(kind, data, apply=True)
        if not report.ok:
            raise ScaleDataError(f"{kind}: " + "; ".join(report.summary_lines()))
        part.counts[f"{kind} new"] = report.new
        part.counts[f"{kind} changed"] = report.changed
    part.path += f", from {'the real files in ' + str(data_dir) if use_real else 'a synthetic map'}"
    return part, _area(sources[0])
