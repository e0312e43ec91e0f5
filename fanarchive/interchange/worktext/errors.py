"""What goes wrong reading a work-text file: a refusal (the file is not stored) or a warning."""

from __future__ import annotations

from dataclasses import dataclass


class WorkTextError(Exception):
    """A file breaks the format: `line` (1-based, 0 when the whole file is meant) and what was
    expected. `where(name)` gives the `file:line: message` form people read."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.message = message

    def where(self, name: str) -> str:
        return f"{name}:{self.line}: {self.message}" if self.line else f"{name}: {self.message}"


@dataclass(frozen=True)
class WorkTextWarning:
    line: int
    message: str

    def where(self, name: str) -> str:
        return f"{name}:{self.line}: {self.message}" if self.line else f"{name}: {self.message}"
