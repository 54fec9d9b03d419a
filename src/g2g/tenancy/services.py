"""Write reference data about authorities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from g2g.core.problems import Problem, ReadError
from g2g.tenancy.models import Authority, StatisticalNeighbour
from g2g.tenancy.neighbours import NeighbourModel
from g2g.tenancy.reference import AuthorityRow


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int

    def __str__(self) -> str:
        total = self.created + self.updated + self.unchanged
        return (
            f"{total} authorities: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


@transaction.atomic
def load_authorities(rows: Sequence[AuthorityRow]) -> LoadResult:
    """Create or update one authority per row, then its ranked statistical neighbours.

    An authority is matched by DfE LA number, else by slug. Only authorities whose values or
    neighbours differ are written, so loading the same file twice changes nothing. Authorities
    not in `rows` are left alone. All or nothing: a neighbour not among `rows` raises ValueError.
    """
    by_number = {a.la_number: a for a in Authority.objects.exclude(la_number="")}
    by_slug = {a.slug: a for a in Authority.objects.all()}
    authorities: dict[str, Authority] = {}
    created, changed = set(), set()
    for row in rows:
        values = row.model_fields()
        authority = by_number.get(row.la_number) or by_slug.get(row.slug)
        if authority is None:
            authority = Authority.objects.create(**values)
            created.add(row.la_number)
        else:
            differing = [
                name for name, value in values.items() if getattr(authority, name) != value
            ]
            if differing:
                for name in differing:
                    setattr(authority, name, values[name])
                authority.save(update_fields=differing)
                changed.add(row.la_number)
        authorities[row.la_number] = authority
    changed |= _load_neighbours(rows, authorities) - created
    updated = len(changed)
    return LoadResult(len(created), updated, len(rows) - len(created) - updated)


def _load_neighbours(rows: Sequence[AuthorityRow], authorities: dict[str, Authority]) -> set[str]:
    """Replace the neighbours of each authority whose ranked list differs; their LA numbers."""
    current: dict[int, list[int]] = defaultdict(list)
    links = StatisticalNeighbour.objects.filter(
        authority__in=authorities.values(), model=StatisticalNeighbour.EARLIER
    )
    for authority_id, neighbour_id in links.order_by("authority", "rank").values_list(
        "authority", "neighbour"
    ):
        current[authority_id].append(neighbour_id)
    changed = set()
    for row in rows:
        authority = authorities[row.la_number]
        unknown = [code for code in row.neighbours if code not in authorities]
        if unknown:
            raise ValueError(f"{row.name}'s neighbours {unknown} are not among the authorities")
        wanted = [authorities[code].pk for code in row.neighbours]
        if current[authority.pk] != wanted:
            StatisticalNeighbour.objects.filter(
                authority=authority, model=StatisticalNeighbour.EARLIER
            ).delete()
            StatisticalNeighbour.objects.bulk_create(
                StatisticalNeighbour(
                    authority=authority,
                    neighbour_id=pk,
                    rank=rank,
                    model=StatisticalNeighbour.EARLIER,
                )
                for rank, pk in enumerate(wanted, start=1)
            )
            changed.add(row.la_number)
    return changed


@dataclass(frozen=True)
class NeighbourLoad:
    model: str
    authorities: int
    changed: int

    def __str__(self) -> str:
        return (
            f"statistical neighbour model {self.model}: {self.authorities} authorities, "
            f"{self.changed} with a changed list"
        )


@transaction.atomic
def load_neighbour_model(model: NeighbourModel) -> NeighbourLoad:
    """Make each authority's neighbours in `model.name` the file's ranked list with its
    closeness bands; other models' lists (the earlier list among them) are kept as history.
    Only authorities whose list differs are written, so loading twice changes nothing.

    Raises ReadError, writing nothing, when a code in the file is not a loaded authority."""
    authorities = {a.la_number: a for a in Authority.objects.exclude(la_number="")}
    problems = [
        Problem.at(model.file, f"LA code {code} is not a loaded authority", row=row, column=column)
        for code, row, column in model.codes()
        if code not in authorities
    ]
    if problems:
        raise ReadError(problems)
    current: dict[int, list[tuple[int, str]]] = defaultdict(list)
    links = StatisticalNeighbour.objects.filter(model=model.name).order_by("authority", "rank")
    for authority_id, neighbour_id, closeness in links.values_list(
        "authority", "neighbour", "closeness"
    ):
        current[authority_id].append((neighbour_id, closeness))
    changed = 0
    for row in model.rows:
        authority = authorities[row.la_number]
        wanted = [(authorities[code].pk, band) for code, band in row.neighbours]
        if current[authority.pk] == wanted:
            continue
        StatisticalNeighbour.objects.filter(authority=authority, model=model.name).delete()
        StatisticalNeighbour.objects.bulk_create(
            StatisticalNeighbour(
                authority=authority, neighbour_id=pk, rank=rank, closeness=band, model=model.name
            )
            for rank, (pk, band) in enumerate(wanted, start=1)
        )
        changed += 1
    return NeighbourLoad(model.name, len(model.rows), changed)


def all_authority_names() -> list[str]:
    """Every English authority's name: reference data, public, not any authority's own."""
    return list(Authority.objects.order_by("name").values_list("name", flat=True))
