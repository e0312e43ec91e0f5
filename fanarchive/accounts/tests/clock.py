"""Moving the clock in tests without sleeping: signed links and rate-limit windows read
`time.time()`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from unittest import mock


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@contextmanager
def at(moment: str | float) -> Iterator[Clock]:
    """`time.time()` answers `moment` (an ISO date-time in UTC, or seconds) inside the block."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment).replace(tzinfo=UTC).timestamp()
    clock = Clock(moment)
    with mock.patch("time.time", clock):
        yield clock
