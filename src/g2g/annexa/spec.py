"""The Annex A specification as data (`specs/annex-a-<version>.toml`), and the lenient matching
of sheet names, column headers and codes to it.

Councils' files differ in small ways: "List 3 - Referrals" or "List_3", "Date of Referral" or
"Date of referral", "a) Male", "M" or "male". Matching ignores case, spacing and punctuation,
so those all agree; anything that still does not match is reported, never guessed.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path

import polars as pl

SPECS = Path(__file__).parent / "specs"
CURRENT_VERSION = "2023"
KINDS = ("id", "text", "date", "int", "code")
HEADER_CUTOFF = 0.9  # how close an unlisted header must be to a known one to match it


def squash(text: str) -> str:
    """Lower case letters and digits only: the key headers and sheet names are compared by."""
    return re.sub(r"[^a-z0-9]", "", str(text).casefold())


def code_key(text: str) -> str:
    """A cell as codes are compared: lower case, single spaces, fancy quotes and dashes plain."""
    text = str(text).casefold().replace("\u2019", "'").replace("\u2013", "-")
    return " ".join(text.split())


_LETTER_PREFIX = re.compile(r"^[a-z]{1,2}\d?\)\s*")
_SHORT_CODE = re.compile(r"^\s*([a-z0-9]+)\s*(?::|\s-\s)")


@dataclass(frozen=True)
class CodeSet:
    """The codes a column may hold: each cell spelling that is accepted, and its short code."""

    name: str
    labels: dict[str, str]  # short code -> Annex A label, in the spec's order
    lookup: dict[str, str]  # code_key(any accepted spelling) -> short code
    # Each spelling exactly as the spec writes it (and the label without its letter, in its
    # own case) -> short code: the cells most files hold, typed without reading each in Python.
    spelled: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_entries(cls, name: str, entries: list[list[str]]) -> CodeSet:
        labels, lookup, spellings = {}, {}, []
        for short, label, *aliases in entries:
            labels[short] = label
            bare = _LETTER_PREFIX.sub("", code_key(label))
            for spelling in (short, label, bare, *aliases):
                lookup.setdefault(code_key(spelling), short)
            as_written = label[len(label) - len(bare) :] if label.casefold().endswith(bare) else ""
            spellings += [short, label, as_written, *aliases]
        codes = cls(name, labels, lookup)
        spelled = {spelling: codes.find(spelling) for spelling in spellings if spelling}
        return replace(codes, spelled={text: code for text, code in spelled.items() if code})

    @cached_property
    def spelled_index(self) -> tuple[pl.Enum, pl.Series]:
        """`spelled` for polars: its spellings as an Enum, and each one's short code in order."""
        return pl.Enum(list(self.spelled)), pl.Series(list(self.spelled.values()), dtype=pl.String)

    def find(self, cell: str) -> str | None:
        """The short code a cell means: by short code, label, label without its letter, or
        alias; else by the short code at its start ("1A: anything")."""
        found = self.lookup.get(code_key(cell))
        if found is None and (short := short_code_of(cell)):
            found = self.lookup.get(short)
        return found


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str
    kind: str  # one of KINDS
    required: bool
    codes: CodeSet | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListSpec:
    number: int
    key: str
    name: str
    columns: tuple[ColumnSpec, ...]
    event: str  # the date column the list is about ("" if none): birth must come before it
    unique: tuple[str, ...]  # one row per these columns (liiatools' de-duplication keys)
    periods: tuple[tuple[str, str], ...] = ()  # (start, end) pairs: end may not come before start
    id_column: str = "child_id"

    @property
    def title(self) -> str:
        return f"List {self.number}: {self.name}"

    def column(self, key: str) -> ColumnSpec:
        return next(column for column in self.columns if column.key == key)

    def match_headers(self, headers: list[str]) -> tuple[dict[str, str], list[str], list[str]]:
        """Map the file's headers to column keys: (header -> key, unknown headers, missing keys).

        A header matches a column by its header or an alias, compared by `squash`; failing
        that, by a close spelling (difflib) when exactly one column is that close."""
        names: dict[str, str] = {}
        for column in self.columns:
            for text in (column.header, column.key, *column.aliases):
                names.setdefault(squash(text), column.key)
        found: dict[str, str] = {}
        unknown = []
        for header in headers:
            key = names.get(squash(header))
            if key is None:
                close = difflib.get_close_matches(squash(header), names, n=2, cutoff=HEADER_CUTOFF)
                keys = {names[name] for name in close}
                key = keys.pop() if len(keys) == 1 else None
            if key is None or key in found.values():
                unknown.append(header)
            else:
                found[header] = key
        missing = [column.key for column in self.columns if column.key not in found.values()]
        return found, unknown, missing


@dataclass(frozen=True)
class Spec:
    version: str
    source: str
    lists: tuple[ListSpec, ...]
    codes: dict[str, CodeSet] = field(default_factory=dict)

    def list(self, key: str) -> ListSpec:
        return next(spec for spec in self.lists if spec.key == key)

    def match_sheet(self, name: str) -> ListSpec | None:
        """The list a sheet (or CSV file) holds, from its name: "List 3", "list_3_referrals",
        "Referrals", "3. Referrals"."""
        text = str(name).casefold()
        number = re.match(r"^\s*(?:list)?[\s_\-.]*(\d{1,2})(?!\d)", text)
        if number:
            return next((s for s in self.lists if s.number == int(number.group(1))), None)
        squashed = squash(text)
        return next((s for s in self.lists if squash(s.name) == squashed), None)


def _columns(entries: list, groups: dict, codes: dict[str, CodeSet]) -> tuple[ColumnSpec, ...]:
    columns = []
    for entry in entries:
        if isinstance(entry, str):  # "@group"
            columns += _columns(groups[entry.removeprefix("@")], groups, codes)
            continue
        key, header, kind, required, *aliases = entry
        kind, _, code_set = kind.partition(":")
        if kind not in KINDS:
            raise ValueError(f"column {key!r}: unknown kind {kind!r}")
        code = codes[code_set] if kind == "code" else None
        columns.append(ColumnSpec(key, header, kind, required, code, tuple(aliases)))
    return tuple(columns)


@cache
def load_spec(version: str = CURRENT_VERSION) -> Spec:
    """The spec of that version, from `specs/annex-a-<version>.toml`."""
    data = tomllib.loads((SPECS / f"annex-a-{version}.toml").read_text())
    codes = {name: CodeSet.from_entries(name, entries) for name, entries in data["codes"].items()}
    lists = tuple(
        ListSpec(
            number=entry["number"],
            key=entry["key"],
            name=entry["name"],
            columns=_columns(entry["columns"], data["groups"], codes),
            event=entry.get("event", ""),
            unique=tuple(entry.get("unique", ())),
            periods=tuple(tuple(pair) for pair in entry.get("periods", ())),
            id_column=entry.get("id_column", "child_id"),
        )
        for entry in data["lists"]
    )
    return Spec(data["version"], data["source"], lists, codes)


def short_code_of(cell: str) -> str:
    """The short code at the start of a cell like "1A: Individual" or "N1 - Abuse" ("" if none)."""
    match = _SHORT_CODE.match(code_key(_LETTER_PREFIX.sub("", code_key(cell))))
    return match.group(1) if match else ""
