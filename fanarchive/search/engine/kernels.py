"""The engine's inner loops, compiled with numba (nogil, cached on disk), with plain numpy
versions used when numba is not importable. Counting a facet is one pass over the CSR
entries of the matching rows: ~1-2 ns an entry compiled, against ~10 ns for numpy's
gather-then-bincount (which needs index arrays as large as the entries). Filter tags are
uint16 while the tag table has fewer than 65,536 tags: half the memory to stream, ~40% faster.

`first_shown` walks a precomputed sort order (row numbers sorted by key, then id) and keeps the
first `need` rows a query shows: a page of a broad listing reads a few hundred entries instead
of sorting the hundreds of thousands of matching works."""

from __future__ import annotations

from typing import Any

import numpy as np

try:  # pragma: no cover (numba is a dependency; the fallback is for odd platforms)
    from numba import njit

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover
    HAVE_NUMBA = False


def _count_masked_py(
    indptr: np.ndarray, values: np.ndarray, mask: np.ndarray, counts: np.ndarray
) -> None:
    rows = np.flatnonzero(mask)
    starts = indptr[rows]
    lens = indptr[rows + 1] - starts
    total = int(lens.sum())
    if total:
        idx = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total, dtype=np.int64)
        counts += np.bincount(values[idx], minlength=len(counts))[: len(counts)]


def _first_shown_py(
    order: np.ndarray, shown: np.ndarray, need: int, descending: bool, out: np.ndarray
) -> int:
    walk = order[::-1] if descending else order
    rows = walk[np.flatnonzero(shown[walk])[:need]]
    out[: len(rows)] = rows
    return len(rows)


count_masked: Any
first_shown: Any
if HAVE_NUMBA:

    @njit(cache=True, nogil=True)
    def _count_masked_nb(indptr, values, mask, counts):  # type: ignore[no-untyped-def]
        for row in range(mask.shape[0]):
            if mask[row]:
                for j in range(indptr[row], indptr[row + 1]):
                    counts[values[j]] += 1

    @njit(cache=True, nogil=True)
    def _first_shown_nb(order, shown, need, descending, out):  # type: ignore[no-untyped-def]
        n = order.shape[0]
        k = 0
        for i in range(n):
            if k >= need:
                break
            row = order[n - 1 - i] if descending else order[i]
            if shown[row]:
                out[k] = row
                k += 1
        return k

    count_masked = _count_masked_nb
    first_shown = _first_shown_nb
else:  # pragma: no cover
    count_masked = _count_masked_py
    first_shown = _first_shown_py


def warm_up() -> None:
    """Compile (or load the compiled) kernels now rather than in the first query."""
    indptr = np.array([0, 1], dtype=np.int64)
    values = np.array([0], dtype=np.int32)
    mask = np.array([True])
    counts = np.zeros(1, dtype=np.int64)
    count_masked(indptr, values, mask, counts)
    count_masked(indptr, values.astype(np.uint16), mask, counts)
    out = np.zeros(1, dtype=np.int32)
    first_shown(np.zeros(1, dtype=np.int32), mask, 1, True, out)
