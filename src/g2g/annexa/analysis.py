"""Read, check and compute in one call: what the command, the upload page and the benchmark
share. Nothing here writes anything; the result holds aggregates and row numbers only."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from g2g.core.dates import today

from .kpis import KpiResult, compute_kpis
from .quality import QualityReport, check_quality
from .reader import read_annexa, typed_lists

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

    Without a snapshot date it is taken from the file (`infer_snapshot`)."""
    raw = read_annexa(source, name)
    typed = typed_lists(raw)
    inferred = snapshot is None
    snapshot = snapshot or infer_snapshot(typed)
    return Analysis(
        name=raw.name,
        sha256=file_hash(source),
        snapshot=snapshot,
        snapshot_inferred=inferred,
        spec_version=raw.spec.version,
        rows={key: frame.height for key, frame in raw.lists.items()},
        quality=check_quality(raw, typed, snapshot),
        kpis=compute_kpis(typed, snapshot),
    )


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
    for path in paths:
        with path.open("rb") as file:
            for chunk in iter(lambda file=file: file.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()
