"""Read, check and compute in one call: what the command, the upload page and the benchmark
share. Nothing here writes anything; the result holds aggregates and row numbers only."""

from __future__ import annotations

import hashlib
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

import polars as pl

from g2g.core.dates import today
from g2g.core.problems import ReadError

from .kpis import KpiResult, compute_kpis
from .quality import QualityReport, check_quality
from .reader import read_annexa, typed_list

POOL_WORKERS = 2  # returns analysed at once by `analyse_pooled`
LIST_WORKERS = 2  # lists typed and checked, and KPIs counted, at once by `analyse`
SNAPSHOT_LISTS = (("contacts", "contact_date"), ("referrals", "referral_date"))


@dataclass
class Analysis:
    name: str
    sha256: str
    snapshot: date
    snapshot_inferred: bool
    spec_version: str
    rows: dict[str, int]
    quality: QualityReport
    kpis: dict[str, KpiResult] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "file": self.name,
            "sha256": self.sha256,
            "snapshot_date": self.snapshot.isoformat(),
            "snapshot_inferred": self.snapshot_inferred,
            "spec_version": self.spec_version,
            "rows": self.rows,
            "kpis": {key: result.as_dict() for key, result in self.kpis.items()},
            "data_quality": self.quality.as_dict(),
        }


def analyse(source: Path | bytes, name: str = "", snapshot: date | None = None) -> Analysis:
    """The KPIs and data-quality report of a workbook (path or bytes) or a folder of CSVs.

    Without a snapshot date it is taken from the file (`infer_snapshot`). Two lists are typed
    (then checked, then two KPIs counted) at once, on `LIST_WORKERS` threads: polars and
    hashlib work without Python's lock, so one list's query runs while the next one's is
    built, and the file is hashed while it is read."""
    with ThreadPoolExecutor(LIST_WORKERS) as pool:
        digest = pool.submit(file_hash, source)
        raw = read_annexa(source, name)
        typed = dict(zip(raw.lists, pool.map(partial(typed_list, raw), raw.lists), strict=True))
        inferred = snapshot is None
        snapshot = snapshot or infer_snapshot(typed)
        return Analysis(
            name=raw.name,
            sha256=digest.result(),
            snapshot=snapshot,
            snapshot_inferred=inferred,
            spec_version=raw.spec.version,
            rows={key: frame.height for key, frame in raw.lists.items()},
            quality=check_quality(raw, typed, snapshot, each=pool.map),
            kpis=compute_kpis(typed, snapshot, each=pool.map),
        )


@dataclass
class PooledAnalysis:
    """A region's returns read together (the London boroughs pool theirs): each authority's
    return analysed on its own, as it would be alone (its checks locate rows in its own file),
    and the KPIs pooled. Every KPI is a count of children (or referrals ...) over a count, and
    no child is in two authorities' returns, so the pooled KPI is the sum of the numerators
    over the sum of the denominators."""

    name: str
    returns: list[Analysis]

    @property
    def rows(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for analysis in self.returns:
            for key, count in analysis.rows.items():
                total[key] = total.get(key, 0) + count
        return total

    @property
    def kpis(self) -> dict[str, KpiResult]:
        pooled: dict[str, KpiResult] = {}
        for analysis in self.returns:
            for key, result in analysis.kpis.items():
                before = pooled.get(key, KpiResult(key, 0, 0))
                pooled[key] = KpiResult(
                    key,
                    before.numerator + result.numerator,
                    before.denominator + result.denominator,
                )
        return pooled

    def as_dict(self) -> dict:
        return {
            "folder": self.name,
            "rows": self.rows,
            "kpis": {key: result.as_dict() for key, result in self.kpis.items()},
            "returns": [analysis.as_dict() for analysis in self.returns],
        }


def returns_in(folder: Path) -> list[Path]:
    """The returns in a region's folder, in name order: each .xlsx workbook, and each
    sub-folder of CSV files. A folder that itself holds CSV files is one return, not a region."""
    if any(folder.glob("*.csv")):
        raise ReadError.at(
            folder.name, "is one return (it holds CSV files), not a folder of returns"
        )
    found = sorted(
        path
        for path in folder.iterdir()
        if (path.is_file() and path.suffix.lower() == ".xlsx")
        or (path.is_dir() and any(path.glob("*.csv")))
    )
    if not found:
        raise ReadError.at(
            folder.name,
            "holds no Annex A return: put each authority's .xlsx workbook, or its folder of "
            "CSV files, in it",
        )
    return found


def analyse_pooled(folder: Path, snapshot: date | None = None) -> PooledAnalysis:
    """Each return in a region's folder analysed (`analyse`), with the KPIs pooled. Returns are
    analysed two at a time (`POOL_WORKERS`): polars works without Python's lock, so while one
    return's lists are being read or checked the other's queries are being built; memory holds
    two authorities' lists at most. Without a snapshot date each return's is taken from its
    own file."""
    with ThreadPoolExecutor(POOL_WORKERS) as pool:
        returns = list(pool.map(lambda path: analyse(path, snapshot=snapshot), returns_in(folder)))
    return PooledAnalysis(folder.name, returns)


def infer_snapshot(typed: dict[str, pl.DataFrame]) -> date:
    """The day the return was extracted, when nobody says: the latest contact or referral date
    that is not in the future and not a stray (contacts arrive every working day, so that is
    the last day the lists cover). A stray is a day with fewer rows than a fifth of a typical
    day's, as a mistyped year gives. Today when the file has neither list."""
    now = today()
    dates = [
        typed[key].select(pl.col(column).alias("day"))
        for key, column in SNAPSHOT_LISTS
        if key in typed
    ]
    if not dates:
        return now
    days = pl.concat(dates).filter(pl.col("day") <= now).group_by("day").len()
    if days.is_empty():
        return now
    typical = days["len"].median() or 1
    dense = days.filter(pl.col("len") >= max(1, math.ceil(0.2 * typical)))
    return dense["day"].max()


def file_hash(source: Path | bytes) -> str:
    """sha256 of the file, or of a folder's CSV files in name order."""
    digest = hashlib.sha256()
    if isinstance(source, bytes):
        digest.update(source)
        return digest.hexdigest()
    paths = sorted(source.glob("*.csv")) if source.is_dir() else [source]
    buffer = memoryview(bytearray(1 << 20))  # one buffer for every chunk: no new memory each
    for path in paths:
        with path.open("rb") as file:
            while size := file.readinto(buffer):
                digest.update(buffer[:size])
    return digest.hexdigest()
