import json

from django.core.management.base import BaseCommand, CommandError

from g2g.core.commands import authority_argument
from g2g.importers.json_format import plan_to_json
from g2g.plans.models import Plan


class Command(BaseCommand):
    help = "Print an authority's current improvement plan."

    def add_arguments(self, parser):
        parser.add_argument("--authority", required=True, help="Authority name or slug")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, authority: str, **options):
        target = authority_argument(authority)
        plan = Plan.objects.in_authority(target).current()
        if plan is None:
            raise CommandError(f"{target.name} has no plan to export")
        self.stdout.write(json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False))
