"""Writes of the downloads app: files written by `fanarchive export --format epub|html`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from .files import EXPORT_EXTENSIONS, work_file
from .selectors import work_download, works_for_download


def export_downloads(ids: Sequence[int] | None, *, out: Path, fmt: str) -> Iterator[Path]:
    """Write each work as `out/<id>.<ext>`, the same bytes as its download (`fmt`: epub or
    html; text is the interchange exporter's). Yields the paths written."""
    ext = EXPORT_EXTENSIONS[fmt]
    out.mkdir(parents=True, exist_ok=True)
    works = works_for_download(list(ids) if ids is not None else None)
    for work in works.iterator(chunk_size=200):
        path = out / f"{work.pk}.{ext}"
        path.write_bytes(work_file(work_download(work), ext))
        yield path
