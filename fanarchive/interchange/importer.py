"""Importing work-text files: each file is read, checked and stored as one work. A refused
file leaves nothing behind and the import goes on with the next one.

The guarantee is per work (all or nothing); the commit is per batch. `WorkTextImporter.run`
reads up to BATCH_SIZE files, then stores the batch's new works in ONE transaction with one
bulk insert per table (`works_create_bulk`: one filter-set computation and one
`works_changed` for the whole batch). Should anything in that transaction fail (a tag of
another type, a bad draft, a database error), it is rolled back and the batch's works are
stored again one by one, each in its own transaction, so that exactly the failing work is
refused and all the others are stored. Works that replace an existing one (`--on-conflict
update`) are stored one by one, in file order among the batch's works. A dry run checks file
by file and writes nothing. Several works in a batch wanting one new tag name as two
types are stored one by one too (the later one is refused, as it would be alone).

The whole run is one `works_bulk_changes()` block (works/signals.py): listeners of
`works_changed` may do their part beside the import instead of inside each batch's transaction
(on PostgreSQL the search index is written on a second connection as each batch commits), and
have done it when `run` returns, so every imported work is searchable then.

Parsing is pure and could run in a worker process while the main one writes; measured on the
2-core machine under other load, a one-worker pool made the import slower (393-461 against
428-500 works/s), so it is not done.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.utils import timezone

from fanarchive.accounts.models import Pseud
from fanarchive.accounts.services import imported_creators_get_or_create
from fanarchive.core.text import text_to_html
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.names import tag_key
from fanarchive.tags.services import TagTypeConflict, tags_find_or_create
from fanarchive.works.models import Work
from fanarchive.works.services import (
    ChapterDraft,
    WorkDraft,
    work_create,
    work_replace,
    works_create_bulk,
)
from fanarchive.works.signals import works_bulk_changes

from .sources import Source
from .worktext import WorkText, WorkTextError, read_work_text
from .worktext.parser import TAG_FIELDS

# Files larger than this are refused before they are read (tests lower it).
MAX_FILE_BYTES = 50 * 1024 * 1024
# New works stored in one transaction by `WorkTextImporter.run` (tests lower it).
BATCH_SIZE = 250
ORPHAN_LOGIN = "orphan_account"  # AO3's account for works whose creators are unknown
ON_CONFLICT = ("skip", "update", "fail")

# The fields that become tags, in the order AO3 shows them, with their tag types.
_TAG_ORDER: tuple[tuple[str, TagType], ...] = (
    ("rating", TagType.RATING),
    ("warnings", TagType.WARNING),
    ("categories", TagType.CATEGORY),
    *TAG_FIELDS.items(),
)


class Outcome(enum.StrEnum):
    IMPORTED = "imported"
    UPDATED = "updated"
    SKIPPED = "skipped"
    REFUSED = "refused"


@dataclass
class FileResult:
    name: str
    outcome: Outcome
    work_id: int | None = None
    message: str = ""  # why it was refused or skipped, as `file:line: …`
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def warnings(self) -> int:
        return sum(len(result.warnings) for result in self.results)

    def summary(self) -> str:
        counts = ", ".join(f"{outcome.value} {self.count(outcome)}" for outcome in Outcome)
        prefix = "Dry run, nothing was written: " if self.dry_run else ""
        return f"{prefix}{counts}, warnings {self.warnings}"


def _html(paragraphs: Iterable[str]) -> str:
    return text_to_html("\n\n".join(paragraphs))


# A file read into memory, or the refusal of one that cannot be.
Loaded = tuple[str, bytes] | FileResult
# A parsed file with its chapters' HTML, or the refusal of one that cannot be parsed.
Prepared = tuple[str, WorkText, list[str]] | FileResult


def _load(source: Source) -> Loaded:
    if source.problem:
        return FileResult(source.name, Outcome.REFUSED, message=f"{source.name}: {source.problem}")
    if source.size > MAX_FILE_BYTES:
        return _too_big(source, source.size)
    try:
        data = source.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return FileResult(source.name, Outcome.REFUSED, message=f"{source.name}: {exc}")
    if len(data) > MAX_FILE_BYTES:
        return _too_big(source, len(data))
    return source.name, data


def _too_big(source: Source, size: int) -> FileResult:
    message = (
        f"{source.name}: the file has {size:,} bytes, more than the "
        f"{MAX_FILE_BYTES:,} a work-text file may have"
    )
    return FileResult(source.name, Outcome.REFUSED, message=message)


def _prepare(loaded: Loaded) -> Prepared:
    """Parse a loaded file and make its chapters' HTML. Pure (no database)."""
    if isinstance(loaded, FileResult):
        return loaded
    name, data = loaded
    try:
        work = read_work_text(data)
    except WorkTextError as exc:
        return FileResult(name, Outcome.REFUSED, message=exc.where(name))
    return name, work, [text_to_html(chapter.text) for chapter in work.chapters]


def _chunks(items: Iterable[Source], size: int) -> Iterator[list[Source]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class WorkTextImporter:
    """Imports work-text files, in batches (see the module's notes); `import_source` and
    `import_work` store one file. Tags and accounts found or created are cached for the
    following works; entries made inside a transaction (a batch's or a work's) join the cache
    only once that transaction has succeeded, so a refused work leaves no stale cache behind.
    Results are reported in file order, a batch at a time."""

    def __init__(
        self,
        *,
        on_conflict: str = "skip",
        dry_run: bool = False,
        default_fandom: str | None = None,
    ) -> None:
        if on_conflict not in ON_CONFLICT:
            raise ValueError(f"on_conflict is one of {', '.join(ON_CONFLICT)}, not {on_conflict}")
        self.on_conflict = on_conflict
        self.dry_run = dry_run
        self.default_fandom = default_fandom
        self._fixed: dict[tuple[str, str], Tag] | None = None
        self._tags: dict[str, Tag] = {}
        self._pseuds: dict[tuple[str, str], Pseud] = {}
        # Dry run: what earlier files of this run would have created.
        self._planned_ids: set[int] = set()
        self._planned_tags: dict[str, tuple[str, str]] = {}

    # --- one file -----------------------------------------------------------------------

    def import_source(self, source: Source) -> FileResult:
        """Read, check and store one file (or, in a dry run, check it)."""
        work = self._read(source)
        if isinstance(work, FileResult):
            return work
        return self.import_work(work, name=source.name)

    def _read(self, source: Source) -> WorkText | FileResult:
        """The parsed work, or the refusal of a file that cannot be read or parsed."""
        prepared = _prepare(_load(source))
        return prepared if isinstance(prepared, FileResult) else prepared[1]

    def import_work(self, work: WorkText, *, name: str) -> FileResult:
        """Store one parsed work (or, in a dry run, check that it could be stored)."""
        warnings = [warning.where(name) for warning in work.warnings_found]
        existing: Work | None = None
        if work.work_id is not None:
            existing = Work.objects.filter(pk=work.work_id).first()
            if existing is None and self.dry_run and work.work_id in self._planned_ids:
                existing = Work(pk=work.work_id)
            if existing is not None and self.on_conflict != "update":
                return self._conflict(work, name, warnings)
        outcome = Outcome.UPDATED if existing is not None else Outcome.IMPORTED
        try:
            if self.dry_run:
                self._check_tags(work)
                if work.work_id is not None:
                    self._planned_ids.add(work.work_id)
                return FileResult(name, outcome, work.work_id, "", warnings)
            stored = self._store(work, existing)
        except WorkTextError as exc:
            return FileResult(name, Outcome.REFUSED, work.work_id, exc.where(name), warnings)
        return FileResult(name, outcome, stored.pk, "", warnings)

    def _conflict(self, work: WorkText, name: str, warnings: list[str]) -> FileResult:
        """The result of a file whose Work ID is taken, under --on-conflict skip or fail."""
        line = work.line_of("work_id")
        if self.on_conflict == "skip":
            message = f"{name}:{line}: Work ID {work.work_id} is already in the archive"
            return FileResult(name, Outcome.SKIPPED, work.work_id, message, warnings)
        message = (
            f"{name}:{line}: Work ID: {work.work_id} is already in the archive (--on-conflict fail)"
        )
        return FileResult(name, Outcome.REFUSED, work.work_id, message, warnings)

    # --- storing ------------------------------------------------------------------------

    def _store(self, work: WorkText, existing: Work | None) -> Work:
        new_tags: dict[str, Tag] = {}
        new_pseuds: dict[tuple[str, str], Pseud] = {}
        with transaction.atomic():
            tags = self._resolve_tags(work, new_tags)
            creators = self._resolve_creators(work, new_pseuds)
            draft = self._draft(work, creators, tags)
            if existing is not None:
                stored = work_replace(work=existing, draft=draft)
            else:
                stored = work_create(draft=draft, work_id=work.work_id)
        # Only now, after the transaction succeeded, may the new rows be cached.
        self._tags.update(new_tags)
        self._pseuds.update(new_pseuds)
        return stored

    def _draft(
        self,
        work: WorkText,
        creators: list[Pseud],
        tags: list[Tag],
        chapter_html: Sequence[str] | None = None,
    ) -> WorkDraft:
        published = work.published or timezone.localdate()
        if chapter_html is None:
            chapter_html = [text_to_html(chapter.text) for chapter in work.chapters]
        return WorkDraft(
            title=work.title,
            creators=creators,
            chapters=[
                ChapterDraft(text=text, title=chapter.title)
                for chapter, text in zip(work.chapters, chapter_html, strict=True)
            ],
            published=published,
            updated=work.updated or published,
            tags=tags,
            language=work.language_code,
            summary=_html(work.summary),
            notes=_html(work.notes),
            end_notes=_html(work.end_notes),
            complete=work.complete,
            expected_chapters=work.expected_chapters,
            series=[(part.title, part.position) for part in work.series],
            source_header=[[line.label, line.value] for line in work.header],
        )

    def _tag_fields(self, work: WorkText) -> list[tuple[str, TagType, tuple[str, ...]]]:
        """(field, type, names) in the order the file wrote them; fields it lacked (defaults,
        --fandom) slotted in by AO3's order."""
        values = {name: getattr(work, name) for name, _type in _TAG_ORDER}
        values["rating"] = (work.rating,)
        if not values["fandoms"] and self.default_fandom:
            values["fandoms"] = (self.default_fandom,)
        written = list(dict.fromkeys(h.field for h in work.header if h.field in values))
        rank = {name: index for index, (name, _type) in enumerate(_TAG_ORDER)}
        order = list(written)
        for name, _type in _TAG_ORDER:
            if name in order:
                continue
            position = 0
            for index, other in enumerate(order):
                if rank[other] < rank[name]:
                    position = index + 1
            order.insert(position, name)
        types = dict(_TAG_ORDER)
        return [(name, types[name], values[name]) for name in order if values[name]]

    def _fixed_tags(self) -> dict[tuple[str, str], Tag]:
        if self._fixed is None:
            self._fixed = {
                (tag.type, tag.name): tag for tag in Tag.objects.filter(type__in=TagType.fixed())
            }
        return self._fixed

    def _resolve_tags(self, work: WorkText, new_tags: dict[str, Tag]) -> list[Tag]:
        slots, wanted = self._plan_tags(work, new_tags)
        if wanted:
            items = list(wanted.values())
            try:
                found = tags_find_or_create(wanted=[(t, n) for t, n, _f in items])
            except TagTypeConflict as exc:
                field_name = next(f for t, n, f in items if n == exc.name)
                self._check_type(work, field_name, exc.wanted, exc.name, exc.existing.type)
                raise
            for tag in found:
                new_tags[tag.key] = tag
        return [slot if isinstance(slot, Tag) else new_tags[slot] for slot in slots]

    def _plan_tags(
        self, work: WorkText, new_tags: dict[str, Tag]
    ) -> tuple[list[Tag | str], dict[str, tuple[TagType, str, str]]]:
        """The work's tags in order, each a known tag or the key of one still to find, and
        what to find: key → (type, name, field). Raises WorkTextError for a fixed tag the
        archive lacks or a known tag of another type."""
        fixed = self._fixed_tags()
        slots: list[Tag | str] = []  # a tag, or the key of a user tag still to find
        wanted: dict[str, tuple[TagType, str, str]] = {}
        for field_name, tag_type, names in self._tag_fields(work):
            for name in names:
                if tag_type in TagType.fixed():
                    tag = fixed.get((tag_type, name))
                    if tag is None:
                        raise WorkTextError(0, f"the archive has no {tag_type.label} tag {name!r}")
                    slots.append(tag)
                    continue
                key = tag_key(name)
                cached = self._tags.get(key) or new_tags.get(key)
                if cached is not None:
                    self._check_type(work, field_name, tag_type, name, cached.type)
                    slots.append(cached)
                else:
                    wanted.setdefault(key, (tag_type, name, field_name))
                    slots.append(key)
        return slots, wanted

    def _check_type(
        self, work: WorkText, field_name: str, wanted: str, name: str, existing: str
    ) -> None:
        if wanted != existing:
            entry = next((h for h in work.header if h.field == field_name), None)
            label = entry.label if entry else "Fandom"
            raise WorkTextError(
                entry.line if entry else 0,
                f'{label}: the tag "{name}" already exists in the archive as a '
                f"{TagType(existing).label} tag; a tag has one type",
            )

    def _check_tags(self, work: WorkText) -> None:
        """Dry run: the tag checks storing would make, without writing."""
        wanted = {}
        for field_name, tag_type, names in self._tag_fields(work):
            if tag_type in TagType.fixed():
                continue
            for name in names:
                key = tag_key(name)
                planned = self._planned_tags.get(key)
                if planned is not None:
                    self._check_type(work, field_name, tag_type, name, planned[0])
                wanted[key] = (tag_type, name, field_name)
        for tag in Tag.objects.filter(key__in=list(wanted)):
            tag_type, name, field_name = wanted[tag.key]
            self._check_type(work, field_name, tag_type, name, tag.type)
        for key, (tag_type, _name, _field) in wanted.items():
            self._planned_tags.setdefault(key, (tag_type, _field))

    def _resolve_creators(
        self, work: WorkText, new_pseuds: dict[tuple[str, str], Pseud]
    ) -> list[Pseud]:
        creators = self._creator_keys(work)
        missing = [key for key in creators if key not in self._pseuds and key not in new_pseuds]
        if missing:
            for key, pseud in zip(
                missing, imported_creators_get_or_create(creators=missing), strict=True
            ):
                new_pseuds[key] = pseud
        return [self._pseuds.get(key) or new_pseuds[key] for key in creators]

    @staticmethod
    def _creator_keys(work: WorkText) -> list[tuple[str, str]]:
        return [(c.pseud, c.login) for c in work.creators] or [(ORPHAN_LOGIN, ORPHAN_LOGIN)]

    # --- many files ---------------------------------------------------------------------

    def run(
        self,
        sources: Iterable[Source],
        *,
        on_result: Callable[[FileResult], None] | None = None,
    ) -> ImportReport:
        """Import the files in order; results are reported in file order (by batch)."""
        report = ImportReport(dry_run=self.dry_run)

        def emit(result: FileResult) -> None:
            report.results.append(result)
            if on_result is not None:
                on_result(result)

        if self.dry_run:
            for source in sources:
                emit(self.import_source(source))
            return report
        # Listeners of works_changed may work beside the import (search indexes committed
        # batches on a second connection); all are done when this block ends.
        with works_bulk_changes():
            for chunk in _chunks(sources, BATCH_SIZE):
                self._store_batch([_prepare(_load(source)) for source in chunk], emit)
        return report

    def _store_batch(self, prepared: list[Prepared], emit: Callable[[FileResult], None]) -> None:
        """Store a prepared batch; a Work ID met twice starts a new batch, so that the second
        file sees the first one's work."""
        batch: list[Prepared] = []
        ids: set[int] = set()
        for entry in prepared:
            if not isinstance(entry, FileResult) and entry[1].work_id is not None:
                if entry[1].work_id in ids:
                    self._flush(batch, emit)
                    ids.clear()
                ids.add(entry[1].work_id)
            batch.append(entry)
        self._flush(batch, emit)

    def _flush(self, batch: list[Prepared], emit: Callable[[FileResult], None]) -> None:
        """Store a batch: new works in bulk, updates one by one, in file order."""
        wanted_ids = [
            e[1].work_id for e in batch if isinstance(e, tuple) and e[1].work_id is not None
        ]
        taken = set(Work.objects.filter(pk__in=wanted_ids).values_list("pk", flat=True))
        results: list[FileResult | None] = []
        group: list[tuple[int, str, WorkText, list[str]]] = []  # new works to store together
        for entry in batch:
            if isinstance(entry, FileResult):
                results.append(entry)
                continue
            name, work, chapter_html = entry
            if work.work_id in taken:
                if self.on_conflict != "update":
                    warnings = [warning.where(name) for warning in work.warnings_found]
                    results.append(self._conflict(work, name, warnings))
                    continue
                self._store_group(group, results)
                group = []
                results.append(self.import_work(work, name=name))
                continue
            group.append((len(results), name, work, chapter_html))
            results.append(None)
        self._store_group(group, results)
        batch.clear()
        for result in results:
            assert result is not None
            emit(result)

    def _store_group(
        self,
        group: Sequence[tuple[int, str, WorkText, list[str]]],
        results: list[FileResult | None],
    ) -> None:
        """Store new works in one transaction; should it fail, one by one. Fills `results`."""
        planned: list[tuple[int, str, WorkText, list[Tag | str], list[str]]] = []
        wanted: dict[str, tuple[TagType, str]] = {}
        clash = False
        for index, name, work, chapter_html in group:
            try:
                slots, work_wanted = self._plan_tags(work, {})
            except WorkTextError as exc:  # refused before any write: as the one-by-one path
                warnings = [warning.where(name) for warning in work.warnings_found]
                message = exc.where(name)
                results[index] = FileResult(name, Outcome.REFUSED, work.work_id, message, warnings)
                continue
            for key, (tag_type, tag_name, _field) in work_wanted.items():
                if wanted.setdefault(key, (tag_type, tag_name))[0] != tag_type:
                    clash = True  # two works want one new name as two types: the later is refused
            planned.append((index, name, work, slots, chapter_html))
        if clash:
            for index, name, work, _slots, _html in planned:
                results[index] = self.import_work(work, name=name)
            return
        if not planned:
            return
        new_tags: dict[str, Tag] = {}
        new_pseuds: dict[tuple[str, str], Pseud] = {}
        try:
            with transaction.atomic():
                if wanted:
                    for tag in tags_find_or_create(wanted=list(wanted.values())):
                        new_tags[tag.key] = tag
                creators = {
                    key: None
                    for _i, _n, work, _s, _h in planned
                    for key in self._creator_keys(work)
                }
                missing = [key for key in creators if key not in self._pseuds]
                if missing:
                    found = imported_creators_get_or_create(creators=missing)
                    new_pseuds.update(zip(missing, found, strict=True))
                drafts = []
                for _index, _name, work, slots, chapter_html in planned:
                    tags = [slot if isinstance(slot, Tag) else new_tags[slot] for slot in slots]
                    pseuds = [
                        self._pseuds.get(key) or new_pseuds[key] for key in self._creator_keys(work)
                    ]
                    draft = self._draft(work, pseuds, tags, chapter_html)
                    drafts.append((work.work_id, draft))
                stored = works_create_bulk(drafts=drafts)
        except Exception:  # any failure: find the failing work one by one
            for index, name, work, _slots, _html in planned:
                results[index] = self.import_work(work, name=name)
            return
        # Only now, after the transaction succeeded, may the new rows be cached.
        self._tags.update(new_tags)
        self._pseuds.update(new_pseuds)
        for (index, name, work, _slots, _html), work_id in zip(planned, stored, strict=True):
            warnings = [warning.where(name) for warning in work.warnings_found]
            results[index] = FileResult(name, Outcome.IMPORTED, work_id, "", warnings)
