"""Demo-like works for the downloads tests, stored through the works services."""

from __future__ import annotations

import datetime

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.models import Work
from fanarchive.works.services import ChapterDraft, WorkDraft, work_create

HTML_HEAVY = """
<p>A <em>quiet</em> <strong>night</strong>&nbsp;on the <a href="https://example.org/barricade">barricade</a>
and a <a href="#note1">footnote</a>, a <a href="/works/1">site link</a>.</p>
<center>* * *</center>
<table border="1" align="center" summary="roll"><caption>Roll call</caption>
<thead><tr><th scope="col">Name</th><th>Post</th></tr></thead>
<tbody><tr><td width="40">Enjolras</td><td colspan="1">Chief</td></tr>
<tr><td>Combeferre</td><td align="right">Guide</td></tr></tbody></table>
<ul type="disc"><li>powder</li><li>bread <ol start="3"><li>wine</li></ol></li></ul>
<dl><dt>Barricade</dt><dd>A wall of chairs.</dd></dl>
<p><img src="https://images.example.org/flag.png" alt="A red flag"> and
<img src="/static/local.png"> and <img src="https://images.example.org/nothing.png"></p>
<em><p>Italic paragraph one.</p><p>Italic paragraph two.</p></em>
<blockquote><p>Quoted &amp; escaped &lt;text&gt;</p></blockquote>
<p><big>big</big> <tt>mono</tt> <strike>gone</strike> <acronym title="ABC">abc</acronym>
<sup>up</sup><sub>down</sub> <u>under</u> <s>struck</s></p>
<details><summary>Spoiler</summary><p>Hidden</p></details>
<figure><img src="https://x.example.org/a.jpg" alt="fig"><figcaption>A figure</figcaption></figure>
<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>
<h3 align="center">A heading</h3>
<pre>  two   spaces</pre>
<p dir="rtl" lang="he">שלום</p>
<hr>
<address>Rue de la Chanvrerie</address>
"""


def tags(*names_by_type: tuple[TagType, str]) -> list[Tag]:
    return [
        TagFactory(name=name, type=tag_type, canonical=True) for tag_type, name in names_by_type
    ]


def demo_work(
    *,
    title: str = "The Lamplighter's Round",
    chapters: list[ChapterDraft] | None = None,
    language: str = "en",
    restricted: bool = False,
    posted: bool = True,
    series: tuple[tuple[str, int], ...] = (),
    creators=None,
    summary: str = "<p>Marius counts the <em>lamps</em>.</p>",
    notes: str = "<p>For the exchange.</p>",
    end_notes: str = "<p>Thank you for reading!</p>",
    extra_tags: list[Tag] | None = None,
) -> Work:
    creators = creators or [UserFactory().pseuds.get(is_default=True)]
    work_tags = [
        Tag.objects.get(name="Teen And Up Audiences"),
        Tag.objects.get(name="Graphic Depictions Of Violence"),
        Tag.objects.get(name="M/M"),
        *(extra_tags or []),
    ]
    chapters = chapters or [ChapterDraft(text="<p>The lamps on the Rue Plumet were lit.</p>")]
    draft = WorkDraft(
        title=title,
        creators=creators,
        chapters=chapters,
        published=datetime.date(2023, 5, 1),
        updated=datetime.date(2024, 2, 3),
        tags=work_tags,
        language=language,
        summary=summary,
        notes=notes,
        end_notes=end_notes,
        complete=True,
        expected_chapters=len(chapters),
        restricted=restricted,
        posted=posted,
        series=series,
    )
    return work_create(draft=draft)


def many_chapters(count: int = 12) -> list[ChapterDraft]:
    return [
        ChapterDraft(
            title=f"Night {i}" if i % 2 else "",
            summary=f"<p>Summary {i}</p>" if i % 3 == 0 else "",
            notes=f"<p>Notes {i}</p>" if i % 4 == 0 else "",
            end_notes=f"<p>End {i}</p>" if i % 5 == 0 else "",
            text="".join(f"<p>Paragraph {j} of chapter {i}.</p>\n" for j in range(20)),
        )
        for i in range(1, count + 1)
    ]
