"""Reads for downloads: which works and series a viewer may download, and what goes in them.

Every download starts at the archive's one gate, `works.permissions.access_work` (a work) or
`visible_works` (the parts of a series). On top of what the work page allows, a download is
refused for drafts and for works hidden by an admin — to everyone, their own creators and staff
included: a download is a copy that leaves the archive, and a draft or a hidden work is not
published. Their creators still read them on the site. Draft chapters of a posted work are never
part of a download either, so a file is the same whoever asks for it (and can be cached).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from fanarchive.works.models import Series, SeriesWork, Work
from fanarchive.works.permissions import access_work, creatorships_prefetch, visible_works
from fanarchive.works.selectors import WorkReading, work_reading

if TYPE_CHECKING:
    from fanarchive.accounts.models import Pseud
    from fanarchive.works.permissions import Viewer

FORMATS = ("epub", "html", "txt", "pdf", "azw3", "mobi")
CALIBRE_FORMATS = ("pdf", "azw3", "mobi")
SLUG_LENGTH = 24

_ENTITY = re.compile(r"&\w+;")
_NOT_WORD = re.compile(r"[^\w _-]+", re.ASCII)
_SPACES = re.compile(r"[\s_]+")


def download_slug(title: str, work_id: int | None = None) -> str:
    """AO3's download file name: the title transliterated to ASCII, spaces to underscores,
    other punctuation dropped, at most 24 characters (cut at an underscore where one is near);
    `Work_<id>` is added to a name shorter than 3 characters. Cosmetic: any slug serves."""
    name = _ENTITY.sub("", title)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    name = _SPACES.sub("_", _NOT_WORD.sub("", name)).strip("_")
    if len(name) > SLUG_LENGTH:
        cut = name[: SLUG_LENGTH + 1]
        name = cut.rsplit("_", 1)[0] if "_" in cut[8:] else cut[:SLUG_LENGTH]
        name = name[:SLUG_LENGTH].strip("_")
    if len(name) < 3:
        name = "_".join(part for part in (name, f"Work_{work_id}" if work_id else "Work") if part)
    return name


def site_url(path: str = "") -> str:
    """An absolute address on this archive (FANARCHIVE_SITE_URL + path)."""
    return settings.FANARCHIVE_SITE_URL.rstrip("/") + path


@dataclass
class WorkDownload:
    """A work as its downloads show it: the reading view for any reader, plus addresses."""

    reading: WorkReading

    @property
    def work(self) -> Work:
        return self.reading.work

    @property
    def url(self) -> str:
        return site_url(reverse("works:work", args=[self.work.pk]))

    @property
    def slug(self) -> str:
        return download_slug(self.work.title, self.work.pk)

    @property
    def language(self) -> str:
        return self.work.language or "und"

    @property
    def version(self) -> str:
        """Changes whenever the work or one of its chapters does (new chapter, edit): the key of
        cached files."""
        parts = [str(self.work.pk), self.work.modified_at.isoformat()]
        parts += [f"{c.pk}:{c.modified_at.isoformat()}" for c in self.reading.chapters]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def is_downloadable(work: Work) -> bool:
    return work.posted and not work.hidden_by_admin


def downloadable_work(*, viewer: Viewer, work_id: int) -> Work:
    """The work if `viewer` may download it. Raises Http404 (no such work, a draft, a hidden
    work) or `LoginRequired` (a guest and a restricted work), as the work page does."""
    work = access_work(viewer, work_id)
    if not is_downloadable(work):
        raise Http404("No such work")
    return work


def work_download(work: Work) -> WorkDownload:
    """What goes in `work`'s downloads: posted chapters only, whoever asks."""
    return WorkDownload(reading=work_reading(viewer=AnonymousUser(), work=work))


def works_for_download(ids: list[int] | None = None) -> QuerySet[Work]:
    """Works loaded as `access_work` loads them (stats, creators), for the export command."""
    works = Work.objects.select_related("stats").prefetch_related(creatorships_prefetch())
    if ids is not None:
        works = works.filter(pk__in=ids)
    return works.order_by("id")


@dataclass
class SeriesDownload:
    series: Series
    parts: list[tuple[int, WorkDownload]]  # (part number, work)
    hidden_parts: int  # parts this viewer may not see (restricted for a guest)

    @property
    def url(self) -> str:
        return site_url(reverse("downloads:series", args=[self.series.pk]))

    @property
    def creators(self) -> list[Pseud]:
        seen: dict[int, Pseud] = {}
        for _position, part in self.parts:
            for pseud in part.reading.meta.creators:
                seen.setdefault(pseud.pk, pseud)
        return list(seen.values())

    @property
    def slug(self) -> str:
        return download_slug(self.series.title, self.series.pk)

    @property
    def language(self) -> str:
        languages = [part.work.language for _p, part in self.parts if part.work.language]
        return max(set(languages), key=languages.count) if languages else "und"

    @property
    def modified(self):
        return max([self.series.modified_at] + [p.work.modified_at for _n, p in self.parts])

    @property
    def version(self) -> str:
        joined = "|".join([str(self.series.pk)] + [p.version for _n, p in self.parts])
        return hashlib.sha256(joined.encode()).hexdigest()[:16]


def series_download(*, viewer: Viewer, series_id: int) -> SeriesDownload:
    """A series with the works `viewer` may see, in part order. Raises Http404 when there is no
    such series or the viewer may see none of its works."""
    series = Series.objects.filter(pk=series_id).first()
    if series is None:
        raise Http404("No such series")
    links = list(SeriesWork.objects.filter(series=series).order_by("position", "id"))
    visible = {
        work.pk: work
        for work in visible_works(viewer)
        .filter(pk__in=[link.work_id for link in links])
        .select_related("stats")
        .prefetch_related(creatorships_prefetch())
    }
    parts = [
        (link.position, work_download(visible[link.work_id]))
        for link in links
        if link.work_id in visible
    ]
    if not parts:
        raise Http404("No such series")
    return SeriesDownload(series=series, parts=parts, hidden_parts=len(links) - len(parts))
