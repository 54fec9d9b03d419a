"""The one way every reader and upload check reports what is wrong with a file, and where.

A `Problem` names its place as a person would look for it ("tameside.docx, table 2, row 5",
"ilacs-overview.xlsx, sheet 'Overview', row 89, column C (region_code)"). A reader that cannot
read a file at all raises `ReadError` with its problems; a reader that can read it returns the
problems beside what it read, so a preview can show them all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    # The parts of `where`, kept apart for programs reading JSON, when it is a sheet's cell.
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""

    @classmethod
    def at(
        cls, file: str, message: str, *, sheet: str = "", row: int | None = None, column: str = ""
    ) -> Problem:
        """A problem in a file's sheet, row and column (each optional)."""
        parts = [file]
        if sheet:
            parts.append(f"sheet {sheet!r}")
        if row is not None:
            parts.append(f"row {row}")
        if column:
            parts.append(f"column {column}")
        return cls(", ".join(parts), message, file, sheet, row, column)

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ReadError(Exception):
    """The documented failure of every reader: the file cannot be read at all; nothing was
    written. `problems` says why, each with its place."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))

    @classmethod
    def at(cls, where: str, message: str) -> ReadError:
        return cls([Problem(where, message)])
