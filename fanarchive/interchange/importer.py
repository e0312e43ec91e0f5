"""Importing work-text files: each file is read, checked and stored as one work in one
transaction. A refused file leaves nothing behind and the import goes on with the next one."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from fanarchive.accounts.models import Pseud
from fanarchive.accounts.services import imported_creators_get_or_create
from fanarchive.core.text import text_to_html
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.names import tag_key
from fanarchive.tags.services import TagTypeConflict, tags_find_or_create
from fanarchive.works.models import Work
from fanarchive.works.services import ChapterDraft, WorkDraft, work_create, work_replace

from .sources import Source
from .worktext import WorkText, WorkTextError, read_work_text
from .worktext.parser import TAG_FIELDS

# Files larger than this are refused before they are read (tests lower it).
MAX_FILE_BYTES = 50 * 1024 * 1024
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


class WorkTextImporter:
    """Imports work-text files one by one. Tags and accounts found or created are cached for
    the following works; entries made inside a work's transaction join the cache only once
    that transaction has succeeded, so a refused work leaves no stale cache behind."""

    def __init__(
        self, *, on_conflict: str = "skip", dry_run: bool = False, default_fandom: str | None = None
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
        if source.problem:
            return FileResult(
                source.name, Outcome.REFUSED, message=f"{source.name}: {source.problem}"
            )
        if source.size > MAX_FILE_BYTES:
            return self._too_big(source, source.size)
        try:
            data = source.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            return FileResult(source.name, Outcome.REFUSED, message=f"{source.name}: {exc}")
        if len(data) > MAX_FILE_BYTES:
            return self._too_big(source, len(data))
        try:
            work = read_work_text(data)
        except WorkTextError as exc:
            return FileResult(source.name, Outcome.REFUSED, message=exc.where(source.name))
        return self.import_work(work, name=source.name)

    def _too_big(self, source: Source, size: int) -> FileResult:
        message = (
            f"{source.name}: the file has {size:,} bytes, more than the "
            f"{MAX_FILE_BYTES:,} a work-text file may have"
        )
        return FileResult(source.name, Outcome.REFUSED, message=message)

    def import_work(self, work: WorkText, *, name: str) -> FileResult:
        """Store one parsed work (or, in a dry run, check that it could be stored)."""
        warnings = [warning.where(name) for warning in work.warnings_found]
        existing: Work | None = None
        if work.work_id is not None:
            existing = Work.objects.filter(pk=work.work_id).first()
            if existing is None and self.dry_run and work.work_id in self._planned_ids:
                existing = Work(pk=work.work_id)
            if existing is not None and self.on_conflict != "update":
                line = work.line_of("work_id")
                if self.on_conflict == "skip":
                    message = f"{name}:{line}: Work ID {work.work_id} is already in the archive"
                    return FileResult(name, Outcome.SKIPPED, work.work_id, message, warnings)
                message = (
                    f"{name}:{line}: Work ID: {work.work_id} is already in the archive "
                    "(--on-conflict fail)"
                )
                return FileResult(name, Outcome.REFUSED, work.work_id, message, warnings)
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

    def _draft(self, work: WorkText, creators: list[Pseud], tags: list[Tag]) -> WorkDraft:
        published = work.published or timezone.localdate()
        return WorkDraft(
            title=work.title,
            creators=creators,
            chapters=[
                ChapterDraft(text=text_to_html(chapter.text), title=chapter.title)
                for chapter in work.chapters
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
        creators = [(c.pseud, c.login) for c in work.creators] or [(ORPHAN_LOGIN, ORPHAN_LOGIN)]
        missing = [key for key in creators if key not in self._pseuds and key not in new_pseuds]
        if missing:
            for key, pseud in zip(
                missing, imported_creators_get_or_create(creators=missing), strict=True
            ):
                new_pseuds[key] = pseud
        return [self._pseuds.get(key) or new_pseuds[key] for key in creators]

    # --- many files ---------------------------------------------------------------------

    def run(
        self,
        sources: Iterable[Source],
        *,
        on_result: Callable[[FileResult], None] | None = None,
    ) -> ImportReport:
        report = ImportReport(dry_run=self.dry_run)
        for source in sources:
            result = self.import_source(source)
            report.results.append(result)
            if on_result is not None:
                on_result(result)
        return report
