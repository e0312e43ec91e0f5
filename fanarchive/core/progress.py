"""Progress bars for long commands: rich on a terminal, nothing in logs and tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def is_terminal(stream: Any) -> bool:
    """Whether `stream` (a file, or Django's OutputWrapper around one) is a terminal."""
    target = getattr(stream, "_out", stream)  # Django's OutputWrapper keeps the real stream
    return bool(getattr(target, "isatty", lambda: False)())


@contextmanager
def progress_bar(
    description: str, *, total: int | None, stream: Any = None
) -> Iterator[Callable[[int], None]]:
    """Yields `advance(n)`. Shows a rich progress bar only when the output is a terminal."""
    if not is_terminal(stream):
        yield lambda n: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=False,
    ) as progress:
        task = progress.add_task(description, total=total)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            step = n if total is None else min(n, total - done)
            done += step
            progress.update(task, advance=step)

        yield advance
