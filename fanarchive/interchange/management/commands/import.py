"""`fanarchive import PATH…`: work-text files, folders and .zip archives into the archive."""

from __future__ import annotations

import sys
from contextlib import ExitStack

from django.core.management.base import BaseCommand, CommandError

from fanarchive.core.progress import is_terminal
from fanarchive.interchange.importer import ON_CONFLICT, FileResult, Outcome, WorkTextImporter
from fanarchive.interchange.sources import iter_sources
from fanarchive.tags.names import clean_tag_name, tag_name_problem


class Command(BaseCommand):
    help = "Import works from work-text files, folders of them (recursively) and .zip archives."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--on-conflict",
            choices=ON_CONFLICT,
            default="skip",
            help="when a Work ID is already in the archive: skip the file (default), update "
            "the work, or refuse the file",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything, write nothing"
        )
        parser.add_argument("--fandom", help="the fandom of works whose file has no Fandom line")
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar, even on a terminal"
        )

    def handle(self, *args, **options):
        fandom = options["fandom"]
        if fandom is not None:
            fandom = clean_tag_name(fandom)
            if problem := tag_name_problem(fandom):
                raise CommandError(f"--fandom: {problem}")
        importer = WorkTextImporter(
            on_conflict=options["on_conflict"], dry_run=options["dry_run"], default_fandom=fandom
        )
        show_bar = not options["no_progress"] and is_terminal(self.stdout)
        with ExitStack() as stack:
            sources = list(iter_sources(options["paths"], stack))
            if show_bar:
                report = self._run_with_bar(importer, sources)
            else:
                report = importer.run(sources, on_result=self._print_result)
        self.stdout.write(report.summary())
        if not options["dry_run"] and fandom is None:
            self._infer_fandoms(report)
        refused = report.count(Outcome.REFUSED)
        if refused:
            raise CommandError(
                f"{refused} file{'s were' if refused != 1 else ' was'} refused", returncode=1
            )

    def _infer_fandoms(self, report) -> None:
        """Works stored without a fandom get the one their relationships and characters
        belong to (their tags' fandom parents), when those agree; the others wait on the
        wranglers' page of works needing a fandom."""
        from fanarchive.wrangling.services import works_infer_fandom

        stored = [
            r.work_id
            for r in report.results
            if r.outcome in (Outcome.IMPORTED, Outcome.UPDATED) and r.work_id is not None
        ]
        if not stored:
            return
        found = works_infer_fandom(work_ids=stored)
        waiting = len(found["ambiguous"]) + len(found["unknown"])
        if found["inferred"] or waiting:
            self.stdout.write(
                f"Works without a fandom: {len(found['inferred'])} got theirs from their tags, "
                f"{waiting} need one (/wrangling/works-needing-fandom)."
            )

    def _print_result(self, result: FileResult, write=None) -> None:
        write = write or (lambda text: self.stderr.write(text))
        for warning in result.warnings:
            write(f"{warning} (warning)")
        if result.outcome is Outcome.REFUSED:
            write(result.message)
        elif result.outcome is Outcome.SKIPPED:
            write(f"{result.message}: skipped (--on-conflict skip)")

    def _run_with_bar(self, importer, sources):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        console = Console(file=sys.stdout)
        with Progress(
            "[bold]Importing",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("import", total=len(sources))

            def on_result(result: FileResult) -> None:
                self._print_result(
                    result, write=lambda text: progress.console.print(text, markup=False)
                )
                progress.advance(task)

            return importer.run(sources, on_result=on_result)
