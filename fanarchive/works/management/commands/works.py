"""`fanarchive works …`: maintenance of works. `post-due` posts scheduled works and chapters
whose time has come — the safety net beside the background worker's tasks (run it from cron,
or after the worker was down); running it twice posts nothing twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fanarchive.works.services import works_post_due


class Command(BaseCommand):
    help = "Works maintenance: post-due (post scheduled works and chapters whose time has come)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("post-due", help="post scheduled works and chapters whose time has come")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "post-due":
            works, chapters = works_post_due()
            self.stdout.write(
                f"Posted {len(works)} scheduled work(s)"
                + (f" ({', '.join(map(str, works))})" if works else "")
                + f" and {len(chapters)} scheduled chapter(s)."
            )
