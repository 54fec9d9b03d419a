"""Pages of a long list: which page `?page=` asks for, and the links to the others.

A page number is read through `core.numbers`: anything but a whole number from 1 is "not
found"; a page past the end (a bookmark from when the list was longer) is the last page. Two
queries whatever the list's length: its count and the page's rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import QueryDict

from .numbers import whole_number_or_404


def page_or_404(items, page_text: object, per_page: int) -> Page:
    """The page of `items` (an ordered queryset) that `page_text` asks for; page 1 when none."""
    number = 1 if page_text in (None, "") else whole_number_or_404(page_text, minimum=1)
    paginator = Paginator(items, per_page)
    return paginator.page(min(number, paginator.num_pages))


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the ellipsis between page numbers
    href: str = ""  # "/path/?…&page=n", keeping every other choice in the address
    current: bool = False


@dataclass(frozen=True)
class PageLinks:
    """What the GOV.UK pagination component shows; empty (no component) for a single page."""

    previous: PageLink | None
    next: PageLink | None
    pages: list[PageLink]

    def __bool__(self) -> bool:
        return bool(self.pages)


def page_links(page: Page, path: str, query: QueryDict) -> PageLinks:
    """Links to the pages around `page` (the first and last, and one either side of it), each
    keeping the address's other non-empty values (the filters, the chosen plan)."""
    if page.paginator.num_pages < 2:
        return PageLinks(None, None, [])
    kept = [(key, value) for key, value in query.lists() if key != "page"]

    def link(number: int) -> PageLink:
        values = QueryDict(mutable=True)
        for key, items in kept:
            values.setlist(key, [item for item in items if item != ""])
        if number > 1:
            values["page"] = str(number)
        encoded = values.urlencode()
        return PageLink(number, f"{path}?{encoded}" if encoded else path, number == page.number)

    pages = [
        link(number) if number != Paginator.ELLIPSIS else PageLink(None)
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return PageLinks(
        link(page.previous_page_number()) if page.has_previous() else None,
        link(page.next_page_number()) if page.has_next() else None,
        pages,
    )
