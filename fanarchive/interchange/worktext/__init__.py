"""The plain-text work format: `read_work_text` (bytes → WorkText), `write_work_text`."""

from .document import ChapterText, Creator, HeaderLine, SeriesPart, WorkText
from .errors import WorkTextError, WorkTextWarning
from .parser import decode_work_text, parse_work_text, read_work_text
from .writer import write_work_text

__all__ = [
    "ChapterText",
    "Creator",
    "HeaderLine",
    "SeriesPart",
    "WorkText",
    "WorkTextError",
    "WorkTextWarning",
    "decode_work_text",
    "parse_work_text",
    "read_work_text",
    "write_work_text",
]
