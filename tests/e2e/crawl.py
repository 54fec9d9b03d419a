"""The pages each role reaches: a breadth-first walk through the links from the home page, as
the signed-in role, with a check run on every HTML page (test_accessibility.py: axe at
1280 px, then reflow, titles, headings and targets at 320 px)."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

MAX_PAGES = 200  # per role (the demo has three plans with their rounds: 150 ran out first)
# Pages that differ only in ids or query values render the same template: a few of each are
# enough, and keep the crawl within MAX_PAGES while still reaching the deepest pages (forms).
MAX_PER_SHAPE = 3
SKIPPED_PREFIXES = ("/admin/", "/static/")

LINKS = """
anchors => anchors
  .filter(a => !a.hasAttribute("download"))
  .map(a => a.href)
"""


def crawl_targets(page, origin: str, skipped: tuple[str, ...]) -> list[str]:
    """Same-origin links on the page, without fragments, minus the skipped paths."""
    urls = []
    for href in page.eval_on_selector_all("a[href]", LINKS):
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        if parts.path.startswith(skipped):
            continue
        urls.append(url)
    return urls


def shape(url: str) -> str:
    """The URL with numbers in the path and query values blanked: /x/actions/<n>/?priority=."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/<n>", parts.path)
    names = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return path + "?" + "&".join(names)


def visit(page, url: str) -> tuple[int, bool]:
    """Open the URL; the final status and whether it is an HTML page (downloads are not)."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" not in str(error):
            raise
        return page.request.get(url).status, False
    assert response is not None, f"No response for {url}"
    return response.status, "text/html" in (response.header_value("content-type") or "")


@dataclass
class Walk:
    visited: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    html_pages: int = 0


def walk(page, origin: str, check: Callable[[object, str], list[str]]) -> Walk:
    """From the home page, follow same-origin links breadth-first (at most MAX_PAGES, and
    MAX_PER_SHAPE of each URL shape), running `check(page, url)` on every HTML page: its
    problems, and any HTTP error or sign-out, are the walk's errors."""
    login_path = reverse("login")
    skipped = (*SKIPPED_PREFIXES, reverse("logout"))
    start = origin + reverse("home")
    queue, seen = deque([start]), {start}
    shapes = Counter([shape(start)])
    result = Walk()
    while queue and len(result.visited) < MAX_PAGES:
        url = queue.popleft()
        result.visited.append(url)
        status, is_html = visit(page, url)
        if status >= 400:
            result.errors.append(f"{url}: HTTP {status}")
            continue
        if not is_html:
            continue
        if urlsplit(page.url).path == login_path:
            result.errors.append(f"{url}: sent to the sign-in page (signed out?)")
            continue
        result.html_pages += 1
        result.errors.extend(f"{url}: {problem}" for problem in check(page, url))
        for target in crawl_targets(page, origin, skipped):
            if target not in seen and shapes[shape(target)] < MAX_PER_SHAPE:
                seen.add(target)
                shapes[shape(target)] += 1
                queue.append(target)
    return result
