"""`fanarchive stats …`: the counters' maintenance.

fanarchive stats rollup              # add the hits recorded since the last roll-up
fanarchive stats recount [--work ID] # recompute kudos, comments, bookmarks, subscriptions
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanarchive.works.models import Work

from ...rollup import counts_recount, hits_rollup


class Command(BaseCommand):
    help = "Counters: rollup (count the new hits), recount [--work ID] (kudos, comments, …)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rollup", help="add the hits recorded since the last roll-up")
        recount = sub.add_parser(
            "recount", help="recompute kudos, comments, bookmarks and subscriptions"
        )
        recount.add_argument(
            "--work", type=int, action="append", metavar="ID", help="only this work (repeatable)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rollup":
            result = hits_rollup()
            self.stdout.write(
                f"Counted {result.hits} hit(s) on {result.works} work(s); "
                f"deleted {result.deleted} old visitor row(s)."
            )
            return
        work_ids = options.get("work")
        if work_ids:
            missing = sorted(
                set(work_ids)
                - set(Work.objects.filter(pk__in=work_ids).values_list("pk", flat=True))
            )
            if missing:
                raise CommandError(f"--work: no work with id {', '.join(map(str, missing))}")
        counts_recount(work_ids=work_ids, say=self.stdout.write)
