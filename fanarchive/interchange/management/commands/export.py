"""`fanarchive export (--all | --work ID…) --format text|epub|html --out DIR`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fanarchive.interchange.exporter import export_works, works_for_export
from fanarchive.works.models import Work

FORMATS = ("text", "epub", "html")


class Command(BaseCommand):
    help = (
        "Export works as files: DIR/<id>.txt in the plain-text work format, or DIR/<id>.epub "
        "or DIR/<id>.html as the archive's downloads make them."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="every work in the archive")
        which.add_argument("--work", type=int, nargs="+", metavar="ID", help="these works")
        parser.add_argument("--format", default="text", help="the file format: text, epub or html")
        parser.add_argument("--out", required=True, metavar="DIR", help="the folder to write to")

    def handle(self, *args, **options):
        if options["format"] not in FORMATS:
            raise CommandError(
                f"unknown format {options['format']!r}: this version writes {', '.join(FORMATS)}"
            )
        ids = None
        if options["work"]:
            ids = list(dict.fromkeys(options["work"]))
            found = set(Work.objects.filter(pk__in=ids).values_list("pk", flat=True))
            missing = [str(pk) for pk in ids if pk not in found]
            if missing:
                raise CommandError(f"no work with id {', '.join(missing)}: nothing was written")
        out = Path(options["out"])
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out {out}: not a folder")
        if options["format"] == "text":
            written = sum(1 for _path in export_works(works_for_export(ids), out=out))
        else:
            from fanarchive.downloads.services import export_downloads

            written = sum(1 for _path in export_downloads(ids, out=out, fmt=options["format"]))
        self.stdout.write(f"Wrote {written} work{'s' if written != 1 else ''} to {out}")
