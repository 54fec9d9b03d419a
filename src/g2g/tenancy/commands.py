"""Helpers shared by management commands."""

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.db.models import Q

from g2g.tenancy.models import Authority


def authority_argument(text: str) -> Authority:
    """The authority a command's --authority names, by name or slug, ignoring case."""
    match = Authority.objects.filter(Q(name__iexact=text) | Q(slug__iexact=text)).first()
    if match is None:
        raise CommandError(
            f"No authority called {text!r}. Load them first: g2g load_authorities PATH"
        )
    return match


def add_import_arguments(parser) -> None:
    """The arguments every `g2g import_*` command takes."""
    parser.add_argument("path", type=Path)
    parser.add_argument("--authority", required=True, help="Authority name or slug")
    parser.add_argument("--dry-run", action="store_true", help="Read and report; write nothing")
    parser.add_argument("--format", choices=["text", "json"], default="text")


def refuse_import(command, path: Path, error, format: str) -> CommandError:
    """Report a file that was not imported (as JSON too when asked) and the error to raise."""
    if format == "json":
        problems = [{"where": p.where, "message": p.message} for p in error.problems]
        command.stdout.write(json.dumps({"imported": False, "problems": problems}, indent=2))
    return CommandError(f"{path} was not imported: {error}")
