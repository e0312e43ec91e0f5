"""`fanarchive wrangle …`: wrangling jobs for operators and scripts.

fanarchive wrangle infer-fandoms --all          # every work with no fandom tag
fanarchive wrangle infer-fandoms --work 12 40   # these works
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanarchive.works.models import Work
from fanarchive.wrangling.selectors import works_without_fandom
from fanarchive.wrangling.services import works_infer_fandom


class Command(BaseCommand):
    help = "Wrangling jobs: infer-fandoms (give works with no fandom the one their tags name)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="job", required=True, metavar="JOB")
        p = sub.add_parser(
            "infer-fandoms",
            help="give works with no fandom tag the one fandom their relationships and "
            "characters belong to",
        )
        which = p.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="every work with no fandom tag")
        which.add_argument("--work", type=int, nargs="+", metavar="ID", help="these works")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["job"] == "infer-fandoms":
            self.infer_fandoms(options)

    def infer_fandoms(self, options: dict[str, Any]) -> None:
        if options["all"]:
            ids = list(works_without_fandom(Work.objects.all()).values_list("id", flat=True))
        else:
            ids = options["work"]
            missing = set(ids) - set(Work.objects.filter(id__in=ids).values_list("id", flat=True))
            if missing:
                raise CommandError(f"No work with id {', '.join(map(str, sorted(missing)))}.")
        report = works_infer_fandom(work_ids=ids)
        got = len(report["inferred"])
        ambiguous, unknown = len(report["ambiguous"]), len(report["unknown"])
        self.stdout.write(
            self.style.SUCCESS(f"{got} work{'s' if got != 1 else ''} got a fandom.")
            if got
            else "0 works got a fandom."
        )
        self.stdout.write(
            f"{ambiguous + unknown} still need one "
            f"({ambiguous} with several candidate fandoms, {unknown} with none)."
        )
