"""Which authorities a text names: a plan written for Tameside names Tameside in its title and
its text. Names are matched whole and as written (case-sensitive: "Bury" the place, not "bury";
"Manchester" is not matched inside "Greater Manchester", the combined authority), any run of
spaces or line breaks between their words."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# A name preceded by these words is another body: Greater Manchester is the combined authority.
_NOT_THE_AUTHORITY = ("Greater ",)


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of `names` whole, the longest first (so "Cheshire West and
    Chester" is not read as "Chester")."""
    alternatives = [
        r"\s+".join(re.escape(word) for word in name.split())
        for name in sorted({name for name in names if name.strip()}, key=len, reverse=True)
    ]
    if not alternatives:
        return None
    prefixes = "".join(rf"(?<!{re.escape(prefix)})" for prefix in _NOT_THE_AUTHORITY)
    return re.compile(rf"{prefixes}(?<![\w&]){'(' + '|'.join(alternatives) + ')'}(?![\w])")


def names_in(text: str, names: Iterable[str]) -> Counter[str]:
    """How many times `text` names each of `names` (only those it names)."""
    names = list(names)
    pattern = name_pattern(names)
    if pattern is None:
        return Counter()
    spelled = {" ".join(name.split()): name for name in names}
    return Counter(spelled[" ".join(found.split())] for found in pattern.findall(text))
