"""Checks beyond axe on a page in the browser (WCAG 2.2): reflow at 320 px (1.4.10), a title
naming the authority (2.4.2), headings that do not skip a level (1.3.1), text spacing
(1.4.12)."""

from __future__ import annotations

from urllib.parse import urlsplit

REFLOW_WIDTH = 320

# The page's scroll width against the viewport's, and, when the page scrolls sideways, the
# elements that reach past the right edge outside any box that scrolls on its own.
OVERFLOW = """
() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const culprits = [];
  if (root.scrollWidth > width) {
    const scrolls = element => {
      let node = element.parentElement;
      for (; node && node !== document.body; node = node.parentElement) {
        const overflow = getComputedStyle(node).overflowX;
        if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") return true;
      }
      return false;
    };
    for (const element of document.body.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.width && box.right > width + 1 && !scrolls(element)) {
        const parentBox = element.parentElement.getBoundingClientRect();
        if (parentBox.right <= width + 1 || element.parentElement === document.body) {
          const classes = typeof element.className === "string" ? element.className.trim() : "";
          const name = element.tagName.toLowerCase()
            + (classes ? "." + classes.split(/\\s+/).join(".") : "");
          culprits.push(`${name} (${Math.round(box.right)} px)`);
        }
      }
      if (culprits.length >= 3) break;
    }
  }
  return {scrollWidth: root.scrollWidth, width, culprits};
}
"""

HEADINGS = """
() => Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"))
  .map(h => [Number(h.tagName[1]), h.textContent.trim().replace(/\\s+/g, " ").slice(0, 60)])
"""


def reflow_problems(page) -> list[str]:
    """The page scrolls sideways at its viewport's width (no more than 320 px wide)."""
    found = page.evaluate(OVERFLOW)
    if found["scrollWidth"] <= found["width"]:
        return []
    return [
        f"scrolls sideways: {found['scrollWidth']} px wide at {found['width']} px"
        + (f" ({'; '.join(found['culprits'])})" if found["culprits"] else "")
    ]


def heading_problems(page) -> list[str]:
    """Headings in document order go down at most one level at a time."""
    problems = []
    previous = None
    for level, text in page.evaluate(HEADINGS):
        if previous is None and level > 2:
            problems.append(f"the first heading is h{level} ({text!r})")
        elif previous is not None and level > previous + 1:
            problems.append(f"heading skips from h{previous} to h{level} ({text!r})")
        previous = level
    return problems


def title_problems(page, url: str, names: dict[str, str]) -> list[str]:
    """A page under /<authority>/ has a title naming the authority."""
    slug = urlsplit(url).path.strip("/").split("/")[0]
    name = names.get(slug)
    if name is None:
        return []
    title = page.title()
    return [] if name in title else [f"the title {title!r} does not name {name}"]


# WCAG 1.4.12's text spacing: line height 1.5, paragraphs 2 em apart, letters 0.12 em and words
# 0.16 em apart (the bookmarklet the WCAG understanding document names applies the same).
TEXT_SPACING_CSS = """
* {
  line-height: 1.5 !important;
  letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important;
}
p { margin-bottom: 2em !important; }
"""

# Text cut off by its box: an element with text of its own whose content is taller or wider
# than its box while the box hides what overflows.
CLIPPED = """
() => {
  const problems = [];
  for (const element of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(element);
    const hides = ["hidden", "clip"].some(
      value => style.overflowX === value || style.overflowY === value);
    if (!hides || element.closest(".govuk-visually-hidden, [hidden]")) continue;
    if (style.position === "absolute" && element.clientWidth <= 1) continue;  // visually hidden
    const text = Array.from(element.childNodes)
      .some(n => n.nodeType === 3 && n.textContent.trim());
    if (!text) continue;
    const cut = element.scrollHeight > element.clientHeight + 1
      || element.scrollWidth > element.clientWidth + 1;
    if (cut) {
      const words = element.textContent.trim().slice(0, 40);
      problems.push(`${element.tagName.toLowerCase()} "${words}"`);
    }
  }
  // Text inside charts (SVG): each text element inside its SVG's box.
  for (const text of document.querySelectorAll("svg text")) {
    const svg = text.ownerSVGElement.getBoundingClientRect();
    const box = text.getBoundingClientRect();
    if (box.width && (box.left < svg.left - 1 || box.right > svg.right + 1)) {
      problems.push(`chart text "${text.textContent.trim().slice(0, 40)}" outside its chart`);
    }
  }
  return problems;
}
"""


def clipped_text(page) -> list[str]:
    return page.evaluate(CLIPPED)


# WCAG 2.5.8 target size (minimum): a target smaller than 24 by 24 px needs a 24 px circle on its
# centre that meets no other target (checked as: the centres of two small targets at least 24 px
# apart, and a small target's centre not within 12 px of another target's box). Links inside a
# sentence (a paragraph, a list item, a table cell or a hint of running text) are exempt, as the
# criterion says.
TARGETS = """
() => {
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  const inline = element => element.tagName === "A"
    && element.closest("p, li, td, th, dd, .govuk-hint, .govuk-body")
    && Array.from(element.parentElement.childNodes).some(
      n => n !== element && n.nodeType === 3 && n.textContent.trim());
  const targets = Array.from(document.querySelectorAll(selector))
    .filter(element => element.getClientRects().length && !element.closest("[hidden]"))
    .map(element => ({element, box: element.getBoundingClientRect()}))
    .filter(({box}) => box.width > 1 && box.height > 1);
  const problems = [];
  for (const one of targets) {
    const {element, box} = one;
    if ((box.width >= 24 && box.height >= 24) || inline(element)) continue;
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    for (const other of targets) {
      if (other === one || other.element.contains(element) || element.contains(other.element)) {
        continue;
      }
      const b = other.box;
      const dx = Math.max(b.left - x, 0, x - b.right), dy = Math.max(b.top - y, 0, y - b.bottom);
      if (Math.hypot(dx, dy) < 12) {
        const name = text => text.trim().replace(/\\s+/g, " ").slice(0, 30);
        problems.push(`target "${name(element.textContent || element.name || "")}" `
          + `(${Math.round(box.width)}x${Math.round(box.height)} px) too close to `
          + `"${name(other.element.textContent || other.element.name || "")}"`);
        break;
      }
    }
    if (problems.length >= 5) break;
  }
  return problems;
}
"""


def target_problems(page) -> list[str]:
    return page.evaluate(TARGETS)
