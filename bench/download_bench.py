"""EPUB generation speed: a 100,000-word, 30-chapter work and a 500,000-word work.

    .venv/bin/python bench/download_bench.py [--runs 11]

Builds the works in memory from /work/shared/data/texts/ (the novels' paragraphs as the
archive's HTML, as an import makes them) and times `downloads.epub.work_epub` — preface,
chapters, afterword, package, zip — without the database reads. Prints p50 and max per size.
Goals (issue 7): p50 ≤ 100 ms for 100k words / 30 chapters, ≤ 1 s for 500k words.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _paragraphs(limit_words: int) -> list[str]:
    from django.conf import settings

    from fanarchive.core.text import count_words_in_text, paragraphs_from_text

    paragraphs, words = [], 0
    texts = sorted((Path(settings.FANARCHIVE_SHARED_DATA) / "texts").glob("*.txt"))
    while words < limit_words:
        for path in texts:
            for para in paragraphs_from_text(path.read_text(encoding="utf-8")):
                paragraphs.append(para)
                words += count_words_in_text(para)
                if words >= limit_words:
                    return paragraphs
    return paragraphs


def make_download(words: int, chapters: int):
    from django.utils import timezone

    from fanarchive.accounts.models import Pseud, User
    from fanarchive.core.text import text_to_html
    from fanarchive.downloads.selectors import WorkDownload
    from fanarchive.works.models import Chapter, Work
    from fanarchive.works.selectors import WorkMeta, WorkReading

    paragraphs = _paragraphs(words)
    per = -(-len(paragraphs) // chapters)
    today = datetime.date(2024, 1, 1)
    work = Work(
        pk=1,
        title="Benchmark Work",
        language="en",
        published=today,
        updated=today,
        chapter_count=chapters,
        expected_chapters=chapters,
        word_count=words,
        posted=True,
        summary="<p>A long work.</p>",
        modified_at=timezone.now(),
    )
    items = [
        Chapter(
            pk=i + 1,
            work=work,
            position=i + 1,
            title=f"Part {i + 1}",
            published=today,
            modified_at=work.modified_at,
            text=text_to_html("\n\n".join(paragraphs[i * per : (i + 1) * per])),
        )
        for i in range(chapters)
    ]
    pseud = Pseud(pk=1, name="bench", user=User(pk=1, username="bench"), is_default=True)
    meta = WorkMeta(work=work, creators=[pseud], stats=None, tags={})
    return WorkDownload(reading=WorkReading(meta=meta, chapters=items, series=[]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    import django

    django.setup()
    from fanarchive.downloads.epub import work_epub

    for words, chapters, goal in ((100_000, 30, 0.1), (500_000, 60, 1.0)):
        d = make_download(words, chapters)
        times, size = [], 0
        for _ in range(args.runs):
            start = time.perf_counter()
            size = len(work_epub(d))
            times.append(time.perf_counter() - start)
        p50 = statistics.median(times)
        print(
            f"EPUB {words:>7,} words {chapters:>2} chapters: p50 {p50 * 1000:7.1f} ms  "
            f"max {max(times) * 1000:7.1f} ms  ({size / 1e6:.1f} MB)  goal {goal * 1000:.0f} ms "
            f"{'ok' if p50 <= goal else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
