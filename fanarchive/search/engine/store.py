"""The built index on disk: one folder per build under the index folder, .npy files and a
meta.json, written to a temporary folder and renamed, then named in CURRENT (replaced
atomically). Loading maps the files read-only (np.load(mmap_mode="r")): instant, and the
pages are shared by every process that maps them."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

KEEP_VERSIONS = 2


def index_dir() -> Path:
    configured = getattr(settings, "FANARCHIVE_SEARCH_INDEX_DIR", None)
    if configured:
        return Path(configured)
    return Path(getattr(settings, "DATA_DIR", "var")) / "search-index"


def current_version(root: Path) -> str | None:
    try:
        return (root / "CURRENT").read_text().strip() or None
    except FileNotFoundError:
        return None


def stamp(root: Path) -> int:
    """Changes whenever a new build is published (cheap to ask before every query)."""
    try:
        return (root / "CURRENT").stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def save(root: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> str:
    root.mkdir(parents=True, exist_ok=True)
    version = f"v{time.time_ns()}"
    tmp = root / f".tmp-{version}-{os.getpid()}"
    tmp.mkdir()
    for name, array in arrays.items():
        np.save(tmp / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
    (tmp / "meta.json").write_text(json.dumps(meta))
    os.rename(tmp, root / version)
    pointer = root / f".CURRENT-{os.getpid()}"
    pointer.write_text(version)
    os.replace(pointer, root / "CURRENT")
    versions = sorted(p.name for p in root.iterdir() if p.is_dir() and p.name.startswith("v"))
    for old in versions[:-KEEP_VERSIONS]:
        shutil.rmtree(root / old, ignore_errors=True)  # mapped files stay readable
    return version


def load(root: Path) -> tuple[dict[str, np.ndarray], dict[str, Any]] | None:
    version = current_version(root)
    if version is None or not (root / version / "meta.json").exists():
        return None
    folder = root / version
    meta = json.loads((folder / "meta.json").read_text())
    arrays = {
        # A plain ndarray view of the map: numpy's memmap subclass is slow to index.
        path.stem: np.load(path, mmap_mode="r", allow_pickle=False).view(np.ndarray)
        for path in folder.glob("*.npy")
    }
    meta["version"] = version
    return arrays, meta


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One builder at a time across processes (the others wait, then load its build)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def try_build_lock(root: Path) -> Iterator[bool]:
    """The build lock if free (True), else nothing (False): for background compaction."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
