"""`fanarchive bench search`: time the search engine against the reference SQL backend.

    fanarchive bench search                       # the mix on the archive as it is, a table
    fanarchive bench search --json                # the figures as JSON
    fanarchive bench search --works 3000          # build a demo archive first when empty
    fanarchive bench search --repeat 50 --reference-repeat 5

The figures time the engine with its caches switched off (cached figures beside them when the
engine has a cache); see fanarchive/search/benchmark.py and bench/README.md.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanarchive.works.models import Work

from ...benchmark import ENGINE, BenchError, format_table, run_bench
from ...forms import FACETS_LISTED

SUBJECTS = ("search",)


class Command(BaseCommand):
    help = (
        "Benchmarks: `bench search` times the search engine (caches off) against the "
        "reference SQL backend on a fixed query mix and checks every answer is identical."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subject", help="what to benchmark: search")
        parser.add_argument(
            "--works",
            type=int,
            metavar="N",
            help="build a demo archive of N works first if the archive is empty "
            "(an archive that has works is used as it is)",
        )
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument(
            "--repeat", type=int, default=30, metavar="K", help="engine runs a query (30)"
        )
        parser.add_argument(
            "--reference-repeat",
            type=int,
            default=3,
            metavar="R",
            help="reference runs a query (3; seconds each at a million works)",
        )
        parser.add_argument(
            "--engine", default=ENGINE, metavar="PATH", help=f"the backend class ({ENGINE})"
        )
        parser.add_argument(
            "--facet-limit",
            type=int,
            default=FACETS_LISTED,
            metavar="N",
            help=f"facet entries a type each answer makes, counts exact ({FACETS_LISTED}: what "
            "a listing page shows; 0: every tag of the result set)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subject"] not in SUBJECTS:
            raise CommandError(
                f"subject: unknown benchmark {options['subject']!r}; "
                f"choose one of: {', '.join(SUBJECTS)}."
            )
        if options["facet_limit"] < 0:
            raise CommandError("--facet-limit: must be 0 (all) or more.")
        for name in ("repeat", "reference_repeat"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')}: must be at least 1.")
        works = options["works"]
        if works is not None:
            if works < 1:
                raise CommandError("--works: must be at least 1.")
            if not Work.objects.exists():
                call_command("demo", works=works, seed=1, text_index="yes", verbosity=0)
        quiet = options["verbosity"] == 0  # progress goes to stderr, JSON to stdout

        def progress(message: str) -> None:
            if not quiet:
                self.stderr.write(message)

        try:
            report = run_bench(
                engine_path=options["engine"],
                repeat=options["repeat"],
                reference_repeat=options["reference_repeat"],
                facet_limit=options["facet_limit"] or None,
                progress=progress,
            )
        except BenchError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.stdout.write(format_table(report))
