"""`{% download_menu work %}` data: the Download menu's links for a work."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse

from fanarchive.downloads.convert import ebook_convert
from fanarchive.downloads.selectors import download_slug, is_downloadable
from fanarchive.works.models import Work

register = template.Library()

_LABELS = (
    ("azw3", "AZW3"),
    ("epub", "EPUB"),
    ("mobi", "MOBI"),
    ("pdf", "PDF"),
    ("html", "HTML"),
    ("txt", "Text"),
)
_CALIBRE = {"azw3", "mobi", "pdf"}


@dataclass(frozen=True)
class DownloadMenu:
    links: list[tuple[str, str]]  # (label, url)
    calibre_missing: bool


@register.simple_tag
def download_menu(work: Work) -> DownloadMenu | None:
    """The links of a work's Download menu (AO3's order), or None when the work is not
    downloadable (a draft, a hidden work)."""
    if not is_downloadable(work):
        return None
    calibre = ebook_convert() is not None
    slug = download_slug(work.title, work.pk)
    links = [
        (label, reverse("downloads:work", args=[work.pk, slug, ext]))
        for ext, label in _LABELS
        if calibre or ext not in _CALIBRE
    ]
    return DownloadMenu(links=links, calibre_missing=not calibre)
