"""Where work-text files come from: files, folders (recursively) and .zip archives."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = (".txt",)


@dataclass(frozen=True)
class Source:
    """One file to read: its name in messages (`works/1.txt`, `archive.zip!inner/1.txt`), its
    size in bytes, and how to read at most `limit` bytes of it. `problem` when it cannot be
    read at all (a missing path, a broken archive)."""

    name: str
    size: int
    read: Callable[[int], bytes]
    problem: str | None = None


def _is_text(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return base.lower().endswith(TEXT_SUFFIXES) and not base.startswith(".")


def _file(path: Path, name: str) -> Source:
    def read(limit: int) -> bytes:
        with path.open("rb") as handle:
            return handle.read(limit)

    return Source(name=name, size=path.stat().st_size, read=read)


def _archive(path: Path, name: str, stack: ExitStack) -> Iterator[Source]:
    try:
        archive = stack.enter_context(zipfile.ZipFile(path))
    except (zipfile.BadZipFile, OSError) as exc:
        yield Source(
            name=name, size=0, read=lambda limit: b"", problem=f"not a zip archive ({exc})"
        )
        return
    infos = [
        info
        for info in archive.infolist()
        if not info.is_dir() and _is_text(info.filename) and "__MACOSX/" not in info.filename
    ]
    for info in sorted(infos, key=lambda info: info.filename):

        def read(limit: int, info: zipfile.ZipInfo = info) -> bytes:
            with archive.open(info) as handle:
                return handle.read(limit)

        yield Source(name=f"{name}!{info.filename}", size=info.file_size, read=read)


def iter_sources(paths: Sequence[str], stack: ExitStack) -> Iterator[Source]:
    """The work-text files under `paths`, in a stable order. A file named on the command line is
    read whatever its name (a `.zip` one as an archive); in folders, `*.txt` files and `*.zip`
    archives are taken. Archives stay open until `stack` closes."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file():
                    continue
                name = str(Path(given) / child.relative_to(path))
                if child.suffix.lower() == ".zip":
                    yield from _archive(child, name, stack)
                elif _is_text(child.name):
                    yield _file(child, name)
        elif path.is_file():
            if path.suffix.lower() == ".zip":
                yield from _archive(path, given, stack)
            else:
                yield _file(path, given)
        else:
            yield Source(
                name=given, size=0, read=lambda limit: b"", problem="no such file or folder"
            )
