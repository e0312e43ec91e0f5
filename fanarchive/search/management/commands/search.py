"""`fanarchive search …`: find works from the command line (as a guest), or maintain the index.

    fanarchive search --include Fluff --exclude Angst --rating "Teen And Up Audiences" --json
    fanarchive search --q 'dragons words>1000 sort:kudos'
    fanarchive search reindex [--batch-size N]      # rebuild the full-text index
    fanarchive search rebuild-text                  # the same
    fanarchive search rebuild [--prune]             # build the engine's index (search/engine/)

A first word among SUBCOMMANDS is a subcommand; any other words are the text query.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanarchive.core.progress import progress_bar
from fanarchive.works.models import Work, WorkStats

from ...backends.base import FACET_TYPES, find_tags
from ...query import SORTS, WorkQuery
from ...selectors import search_works
from ...services import search_text_rebuild

# Words that name a subcommand rather than start a query (later issues add more).
SUBCOMMANDS = {"reindex", "rebuild-text", "rebuild"}


class Command(BaseCommand):
    help = "Search works as a guest (filters, facets, text), or `search reindex` the text index."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("words", nargs="*", help="a subcommand (reindex) or query words")
        parser.add_argument("--include", action="append", default=[], metavar="TAG")
        parser.add_argument("--exclude", action="append", default=[], metavar="TAG")
        parser.add_argument(
            "--any", action="append", default=[], metavar="TAG", help="together: one any-of group"
        )
        parser.add_argument("--rating", action="append", default=[], metavar="R")
        parser.add_argument("--warning", action="append", default=[], metavar="W")
        parser.add_argument("--category", action="append", default=[], metavar="C")
        parser.add_argument("--complete", choices=["yes", "no"])
        parser.add_argument("--crossover", choices=["yes", "no"])
        parser.add_argument("--single-chapter", action="store_true")
        parser.add_argument("--language", metavar="L")
        for name in ("words", "kudos", "hits", "comments", "bookmarks"):
            parser.add_argument(f"--{name}-from", type=int, metavar="N")
            parser.add_argument(f"--{name}-to", type=int, metavar="N")
        for name in ("fandoms", "relationships", "characters", "tags"):
            parser.add_argument(f"--max-{name}", type=int, metavar="N")
        parser.add_argument("--q", default="", metavar="TEXT", help="the search box")
        parser.add_argument("--sort", metavar="KEY", help=", ".join(SORTS))
        parser.add_argument("--order", choices=["asc", "desc"])
        parser.add_argument("--page", type=int, default=1, metavar="N")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument(
            "--batch-size", type=int, default=20_000, help="reindex: works per batch"
        )
        parser.add_argument(
            "--prune", action="store_true", help="rebuild: delete the change log it includes"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        words: list[str] = options["words"]
        if words and words[0] == "rebuild":
            self.rebuild(options)
            return
        if words and words[0] in SUBCOMMANDS:
            self.reindex(options)
            return
        query = self.build_query(options, " ".join([*words, options["q"]]).strip())
        results = search_works(query=query, viewer=AnonymousUser())
        works = (
            Work.objects.filter(pk__in=results.ids)
            .prefetch_related("creatorships__pseud__user", "work_tags__tag")
            .select_related("stats")
        )
        by_id = {w.id: w for w in works}
        rows = [_row(by_id[i]) for i in results.ids if i in by_id]
        facets = {
            t: [{"name": tag.name, "count": n} for tag, n in results.facets.get(t, [])]
            for t in FACET_TYPES
        }
        if options["json"]:
            payload = {"total": results.total, "page": results.page, "works": rows}
            payload["facets"] = facets
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{results.first}–{results.last} of {results.total} works")  # noqa: RUF001
        for row in rows:
            self.stdout.write(
                f"{row['id']:>9}  {row['title']}  by {', '.join(row['creators'])}  "
                f"[{row['rating']}] {row['words']} words, {row['chapters']} chapters, "
                f"{row['kudos']} kudos, updated {row['updated']}"
            )
        for tag_type in FACET_TYPES:
            top = ", ".join(f"{e['name']} ({e['count']})" for e in facets[tag_type][:10])
            if top:
                self.stdout.write(f"{tag_type}: {top}")

    def build_query(self, options: dict[str, Any], text: str) -> WorkQuery:
        params: dict[str, Any] = {
            "tag": options["include"],
            "exclude": options["exclude"],
            "rating": options["rating"],
            "warning": options["warning"],
            "category": options["category"],
            "q": text,
        }
        if options["any"]:
            params["any"] = [",".join(options["any"])]
        for key in ("complete", "crossover", "language", "sort", "order"):
            if options[key]:
                params[key] = options[key]
        if options["single_chapter"]:
            params["single_chapter"] = "1"
        for name in ("words", "kudos", "hits", "comments", "bookmarks"):
            for end in ("from", "to"):
                if options[f"{name}_{end}"] is not None:
                    params[f"{name}_{end}"] = str(options[f"{name}_{end}"])
        for name in ("fandoms", "relationships", "characters", "tags"):
            if options[f"max_{name}"] is not None:
                params[f"max_{name}"] = str(options[f"max_{name}"])
        params["page"] = str(options["page"])
        query, problems = WorkQuery.from_params(params)
        if problems:
            raise CommandError("; ".join(problems))
        found = find_tags(query.tag_names)
        from fanarchive.tags.names import tag_key

        unknown = [name for name in query.tag_names if tag_key(name) not in found]
        if unknown:
            raise CommandError("No such tag: " + ", ".join(repr(n) for n in unknown))
        return query

    def reindex(self, options: dict[str, Any]) -> None:
        total = Work.objects.count()
        with progress_bar("Indexing works", total=total, stream=self.stdout) as advance:
            done = [0]

            def step(written: int) -> None:
                advance(written - done[0])
                done[0] = written

            written = search_text_rebuild(batch_size=options["batch_size"], progress=step)
        self.stdout.write(f"Indexed {written} works.")

    def rebuild(self, options: dict[str, Any]) -> None:
        """Build the engine's index from the database and publish it to the index folder."""
        from ...engine import EngineBackend
        from ...models import SearchChange

        engine = EngineBackend(cache=False, persist=True)
        index = engine.rebuild()
        meta = index.meta
        self.stdout.write(
            f"Built the search index of {meta['works']} works in {meta['built_seconds']} s "
            f"({engine.root / meta.get('version', '')}), change log position {meta['position']}."
        )
        if options["prune"] and meta["position"]:
            deleted, _ = SearchChange.objects.filter(id__lt=meta["position"]).delete()
            self.stdout.write(f"Pruned {deleted} change log entries.")


def _row(work: Work) -> dict[str, Any]:
    try:
        stats: WorkStats | None = work.stats
    except WorkStats.DoesNotExist:
        stats = None
    creators = sorted(work.creatorships.all(), key=lambda c: (c.position, c.id))
    ratings = [wt.tag.name for wt in work.work_tags.all() if wt.tag.type == "rating"]
    return {
        "id": work.id,
        "title": work.title,
        "creators": [c.pseud.byline for c in creators],
        "rating": ratings[0] if ratings else None,
        "words": work.word_count,
        "chapters": work.chapters_display,
        "kudos": stats.kudos if stats else 0,
        "hits": stats.hits if stats else 0,
        "comments": stats.comments if stats else 0,
        "bookmarks": stats.bookmarks if stats else 0,
        "updated": work.updated.isoformat(),
    }
