"""`fanarchive demo --works N [--seed S] [--if-empty | --append]`: a believable demo archive."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from django.core.management.base import BaseCommand, CommandError

from fanarchive.demo.loader import archive_has_works, demo_build

if TYPE_CHECKING:
    from rich.progress import Progress


class Command(BaseCommand):
    help = (
        "Build a believable demo archive: accounts, real AO3 tags (with synonyms), works with "
        "chapters cut from Les Misérables and Pride and Prejudice, series and statistics. The "
        "same --seed and --works give the same archive. On an archive that already has works "
        "it refuses, unless --if-empty (then it does nothing and says so) or --append (then it "
        "adds the works after the existing ones)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--works", type=int, default=3000, help="number of works (3000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the archive already has works (for `make run`)",
        )
        mode.add_argument(
            "--append",
            action="store_true",
            help="add the works to an archive that already has some",
        )
        parser.add_argument(
            "--text-index",
            choices=["auto", "yes", "no"],
            default="auto",
            help="build the full-text index now (auto: up to 100,000 works; above that run "
            "`fanarchive search reindex` afterwards, it takes minutes at a million works)",
        )
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help="SQLite: keep the indexes during the load instead of rebuilding them after",
        )

    def handle(
        self,
        *args,
        works: int,
        seed: int,
        if_empty: bool,
        append: bool,
        keep_indexes: bool,
        text_index: str = "auto",
        **options,
    ):
        if works < 1:
            raise CommandError("--works must be at least 1")
        if archive_has_works():
            if if_empty:
                self.stdout.write("The archive already has works: no demo works added.")
                return
            if not append:
                raise CommandError(
                    "The archive already has works. Use --append to add demo works to it, or "
                    "--if-empty to do nothing in that case."
                )
        self.stdout.write(f"Building a demo archive of {works:,} works (seed {seed})…")
        with _progress(works, self.stdout) as on_progress:
            result = demo_build(
                works=works,
                seed=seed,
                keep_indexes=keep_indexes,
                on_progress=on_progress,
                text_index=text_index == "yes" or (text_index == "auto" and works <= 100_000),
            )
        for table, count in result.rows.items():
            self.stdout.write(f"  {table:<20} {count:>12,}")
        text = "real-length chapters" if result.full_text else "short excerpts as chapters"
        self.stdout.write(
            self.style.SUCCESS(f"Done in {result.seconds:.1f} s ({text}, seed {result.seed}).")
        )
        if result.text_seconds is not None:
            self.stdout.write(f"  of which the full-text index: {result.text_seconds:.1f} s")
        else:
            self.stdout.write(
                "The full-text index was not built: run `fanarchive search reindex` before "
                "searching the stories' text."
            )


class _progress:
    """A rich progress bar on a terminal; a line every 10 % otherwise."""

    def __init__(self, total: int, stdout) -> None:
        self.total, self.stdout = total, stdout
        self.bar: Progress | None = None
        self.next_line = 0.1

    def __enter__(self):
        if sys.stdout.isatty():
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
            )
            self.bar.start()
            self.task = self.bar.add_task("works", total=self.total)
        return self.update

    def update(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done)
        elif done / self.total >= self.next_line or done == self.total:
            self.stdout.write(f"  {done:,} / {self.total:,} works")
            while self.next_line <= done / self.total:
                self.next_line += 0.1

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()
