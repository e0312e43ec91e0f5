"""PDF, AZW3 and MOBI: made from the EPUB by calibre's `ebook-convert`, cached per version.

calibre is optional (the Debian package is large): without `ebook-convert` on the PATH the
archive offers EPUB, HTML and text only, and says so. A file is made at most once per work
version (`WorkDownload.version` changes with any edit or new chapter) and kept under
DOWNLOADS_DIR/works/<id>/<version>.<ext>; while a background task makes it, a `.pending` marker
stands beside it, and a `.failed` marker when calibre failed or ran past the time limit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from django.conf import settings

FAILED_RETRY_SECONDS = 3600


def ebook_convert() -> str | None:
    """The path of calibre's ebook-convert, or None when calibre is not installed."""
    return shutil.which("ebook-convert")


def cache_path(*, kind: str, object_id: int, version: str, ext: str) -> Path:
    return Path(settings.DOWNLOADS_DIR) / kind / str(object_id) / f"{version}.{ext}"


def _marker(path: Path, name: str) -> Path:
    return path.with_name(path.name + f".{name}")


def claim(path: Path) -> bool:
    """Mark `path` as being made; False when another request already did (and is recent)."""
    pending = _marker(path, "pending")
    pending.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        age = time.time() - pending.stat().st_mtime
        if age < 3 * settings.DOWNLOADS_CONVERT_TIMEOUT:
            return False
        pending.touch()  # a stale claim (a worker died): take it over
        return True
    os.close(fd)
    return True


def is_pending(path: Path) -> bool:
    return _marker(path, "pending").exists()


def has_failed(path: Path) -> bool:
    failed = _marker(path, "failed")
    try:
        return time.time() - failed.stat().st_mtime < FAILED_RETRY_SECONDS
    except FileNotFoundError:
        return False


def release(path: Path, *, failed: bool) -> None:
    _marker(path, "pending").unlink(missing_ok=True)
    if failed:
        _marker(path, "failed").touch()
    else:
        _marker(path, "failed").unlink(missing_ok=True)


class ConversionError(Exception):
    pass


def _calibre_environment() -> dict[str, str]:
    """calibre renders PDF with Qt WebEngine (Chromium): no screen here, and Chromium's sandbox
    cannot run as root, so as root it runs without it (the input is our own sanitized EPUB,
    with no scripts)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox"
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    return env


def convert_epub(epub: bytes, *, ext: str, dest: Path, timeout: int | None = None) -> Path:
    """Convert `epub` to `ext` with ebook-convert into `dest` (written whole or not at all)."""
    program = ebook_convert()
    if program is None:
        raise ConversionError("calibre's ebook-convert is not installed")
    timeout = timeout or settings.DOWNLOADS_CONVERT_TIMEOUT
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        source, target = Path(tmp) / "in.epub", Path(tmp) / f"out.{ext}"
        source.write_bytes(epub)
        try:
            subprocess.run(  # noqa: S603 (a fixed program and our own file names)
                [program, str(source), str(target)],
                check=True,
                capture_output=True,
                timeout=timeout,
                env=_calibre_environment(),
            )
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"ebook-convert ran past {timeout} s") from exc
        except subprocess.CalledProcessError as exc:
            tail = exc.stderr.decode("utf-8", "replace")[-500:]
            raise ConversionError(f"ebook-convert failed: {tail}") from exc
        if not target.exists():
            raise ConversionError("ebook-convert wrote nothing")
        os.replace(target, dest)
    return dest
