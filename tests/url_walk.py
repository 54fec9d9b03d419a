"""Every page under /<authority>/, discovered from the URL resolver, and how to fill its URL.

Walked by the access sweep (tests/core/test_access_sweep.py), whose requests the query check
(tests/security/test_query_scoping.py) also judges. A pattern with a new kind of URL parameter
fails the sweep until `FOREIGN_IDS` says which object of a `World` it names.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# How to fill each URL parameter with an object of a `World` (tests/conftest.py).
FOREIGN_IDS = {
    "action_pk": lambda world: world.led_action.pk,
    "inspection_pk": lambda world: world.inspection.pk,
    "upload_token": lambda world: world.upload.token,
    "measure_pk": lambda world: world.measure.pk,
    "board_pk": lambda world: world.board.pk,
    "meeting_pk": lambda world: world.meeting.pk,
    "meeting_action_pk": lambda world: world.meeting_action.pk,
    "obsession_pk": lambda world: world.obsession.pk,
    "audit_pk": lambda world: world.audit.pk,
    "remedial_action_pk": lambda world: world.remedial_action.pk,
    "outcome_pk": lambda world: world.outcome.pk,
    "return_pk": lambda world: world.annexa_return.pk,
    "round_pk": lambda world: world.round.pk,
    "update_pk": lambda world: world.update.pk,
    "evidence_pk": lambda world: world.evidence.pk,
    "pack_pk": lambda world: world.saved_pack.pk,
    "file_pk": lambda world: world.pack_file.pk,
    "council_report_pk": lambda world: world.council_report.pk,
}
SKIPPED_PREFIXES = ("admin/",)


def authority_patterns(resolver=None, prefix=""):
    """Yield (route, parameter names) for every pattern under /<authority>/."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from authority_patterns(entry, route)
        elif isinstance(entry, URLPattern) and "<slug:authority>" in route:
            yield route, sorted(entry.pattern.converters)


def fill(route: str, authority_slug: str, world) -> str:
    """The route as a URL for `authority_slug`, other parameters naming `world`'s objects."""
    url = route.replace("<slug:authority>", authority_slug)
    for converter, name in re.findall(r"<(\w+):(\w+)>", url):
        if name not in FOREIGN_IDS:
            pytest.fail(f"{route}: add {name!r} to FOREIGN_IDS so the sweep can test it")
        url = url.replace(f"<{converter}:{name}>", str(FOREIGN_IDS[name](world)))
    return "/" + url


ROUTES = list(authority_patterns())


def patterns_django_reverses() -> set[str]:
    """Every URL pattern taking an `authority`, as the resolver lists them for `reverse()` (its
    own flattened table, built apart from `authority_patterns`): the walk must find each."""
    resolver = get_resolver()
    found = set()
    for key in resolver.reverse_dict:
        for _bits, pattern, _defaults, converters in resolver.reverse_dict.getlist(key):
            if "authority" in converters and not pattern.startswith(SKIPPED_PREFIXES):
                found.add(pattern)
    return found
