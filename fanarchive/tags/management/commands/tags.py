"""`fanarchive tags …`: tag wrangling for operators and scripts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanarchive.tags import wrangling
from fanarchive.tags.ao3dump import DumpError, LoadReport, load_metatag_pairs, load_tag_dump
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.names import tag_key


def find_tag(name: str) -> Tag:
    """The tag called `name` (case and spacing do not matter), or a clear error."""
    tag = Tag.objects.select_related("merger").filter(key=tag_key(name)).first()
    if tag is None:
        near = list(
            Tag.objects.filter(name__icontains=name.strip()[:40]).values_list("name", flat=True)[:3]
        )
        hint = f" Did you mean: {', '.join(near)}?" if near else ""
        raise CommandError(f'No tag named "{name}".{hint}')
    return tag


class Command(BaseCommand):
    help = "Wrangle tags: canonical, synonym, meta, parent, unwrangleable, show, suggest, imports."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        p = sub.add_parser("canonical", help="make a tag canonical")
        p.add_argument("name")
        p.add_argument("--remove", action="store_true", help="take canonical status away")
        p = sub.add_parser("synonym", help="make a tag a synonym of a canonical tag")
        p.add_argument("name")
        p.add_argument("--of", required=True, metavar="CANONICAL")
        p = sub.add_parser("meta", help="add or remove a metatag")
        p.add_argument("name")
        group = p.add_mutually_exclusive_group(required=True)
        group.add_argument("--add", metavar="META")
        group.add_argument("--remove", metavar="META")
        p = sub.add_parser("parent", help="add or remove a parent (fandom, character, media)")
        p.add_argument("name")
        group = p.add_mutually_exclusive_group(required=True)
        group.add_argument("--add", metavar="PARENT")
        group.add_argument("--remove", metavar="PARENT")
        p = sub.add_parser("unwrangleable", help="mark a tag unwrangleable")
        p.add_argument("name")
        p.add_argument("--undo", action="store_true")
        p = sub.add_parser("show", help="a tag's wrangling and work count")
        p.add_argument("name")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("suggest", help="the wrangling assistant's suggestions for a name")
        p.add_argument("name")
        p.add_argument("--type", choices=[t.value for t in TagType])
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("import-ao3", help="load AO3's tag dump (tags.csv)")
        p.add_argument("path", type=Path)
        p = sub.add_parser("import-metatags", help="load `Tag Name,Metatag Name` pairs")
        p.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            getattr(self, "do_" + action.replace("-", "_"))(options)
        except wrangling.WranglingError as exc:
            raise CommandError(str(exc)) from exc
        except DumpError as exc:
            raise CommandError(str(exc)) from exc

    def _done(self, tag: Tag, what: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"{tag.name}: {what}"))

    def do_canonical(self, o: dict[str, Any]) -> None:
        tag = find_tag(o["name"])
        if o["remove"]:
            self._done(wrangling.tag_uncanonicalize(tag=tag, wrangler=None), "no longer canonical")
        else:
            self._done(wrangling.tag_make_canonical(tag=tag, wrangler=None), "canonical")

    def do_synonym(self, o: dict[str, Any]) -> None:
        tag, of = find_tag(o["name"]), find_tag(o["of"])
        self._done(
            wrangling.tag_make_synonym(tag=tag, of=of, wrangler=None), f"synonym of {of.name}"
        )

    def do_meta(self, o: dict[str, Any]) -> None:
        self._link(o, "metatag", wrangling.tag_add_metatag, wrangling.tag_remove_metatag, "meta")

    def do_parent(self, o: dict[str, Any]) -> None:
        self._link(o, "parent", wrangling.tag_add_parent, wrangling.tag_remove_parent, "parent")

    def _link(self, o: dict[str, Any], what: str, add: Any, remove: Any, keyword: str) -> None:
        """`--add OTHER` or `--remove OTHER` through the matching wrangling service."""
        tag = find_tag(o["name"])
        adding = bool(o["add"])
        other = find_tag(o["add"] if adding else o["remove"])
        (add if adding else remove)(tag=tag, wrangler=None, **{keyword: other})
        self._done(tag, f"{what} {other.name} {'added' if adding else 'removed'}")

    def do_unwrangleable(self, o: dict[str, Any]) -> None:
        tag = find_tag(o["name"])
        wrangling.tag_mark_unwrangleable(tag=tag, wrangler=None, value=not o["undo"])
        self._done(tag, "unwrangleable" if not o["undo"] else "no longer unwrangleable")

    def do_show(self, o: dict[str, Any]) -> None:
        from fanarchive.tags.selectors import tag_summary
        from fanarchive.works.selectors import tag_work_counts

        tag = find_tag(o["name"])
        summary = tag_summary(tag, work_counts=tag_work_counts(tag))
        if o["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        for key, value in summary.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            self.stdout.write(f"{key.replace('_', ' ')}: {shown}")

    def do_suggest(self, o: dict[str, Any]) -> None:
        from fanarchive.tags.assistant import suggest

        result = suggest(o["name"], tag_type=o["type"])
        data = result.as_dict()
        if o["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for kind, items in data.items():
            self.stdout.write(f"{kind}:")
            for item in items:
                self.stdout.write(f"  {item['name']}  ({item['score']:.2f}: {item['reason']})")

    def do_import_ao3(self, o: dict[str, Any]) -> None:
        self._report(load_tag_dump(o["path"]))

    def do_import_metatags(self, o: dict[str, Any]) -> None:
        self._report(load_metatag_pairs(o["path"]))

    def _report(self, report: LoadReport) -> None:
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(
            self.style.SUCCESS(
                f"created {report.created}, made canonical {report.updated}, "
                f"unchanged {report.unchanged}, synonyms linked {report.synonyms}, "
                f"metatag links {report.links}, skipped {sum(report.skipped.values())}"
            )
        )
        for reason, count in report.skipped.most_common():
            self.stdout.write(f"  skipped, {reason}: {count}")
