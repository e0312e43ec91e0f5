"""Downloads over HTTP: who may download what, URLs and slugs, the text and HTML files, the
calibre formats (converter mocked), the series page and the rate limit."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.downloads import convert
from fanarchive.downloads.selectors import download_slug
from fanarchive.interchange.exporter import work_text_of, works_for_export
from fanarchive.interchange.worktext import parse_work_text
from fanarchive.works.models import Chapter, Series, Work

from .builders import demo_work, many_chapters

pytestmark = pytest.mark.django_db


def url(work: Work, ext: str, slug: str | None = None) -> str:
    slug = download_slug(work.title, work.pk) if slug is None else slug
    return reverse("downloads:work", args=[work.pk, slug, ext])


# --- Slugs and URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("The Lamplighter's Round", "The_Lamplighters_Round"),
        ("Les Misérables: a study in red and black", "Les_Miserables_a_study"),
        ("灯りの番人", "Work_7"),
        ("A", "A_Work_7"),
        ("&amp; Co", "Co_Work_7"),
        ("Averyveryverylongsingleword-without-breaks", "Averyveryverylongsinglew"),
    ],
)
def test_download_slug_is_aos_file_name(title, slug):
    assert download_slug(title, 7) == slug
    assert len(download_slug(title, 7)) <= 24 or slug.endswith("Work_7")


def test_any_slug_serves_the_work(client):
    work = demo_work()
    for slug in ("The_Lamplighters_Round", "anything", "", "x.y"):
        response = client.get(url(work, "txt", slug))
        assert response.status_code == 200, slug
        assert (
            response["Content-Disposition"] == 'attachment; filename="The_Lamplighters_Round.txt"'
        )
    assert client.get(f"/downloads/{work.pk}/x.doc").status_code == 404


# --- Rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize("ext", ["epub", "html", "txt"])
def test_guests_and_readers_download_a_posted_work(client, ext):
    work = demo_work()
    assert client.get(url(work, ext)).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url(work, ext)).status_code == 200


@pytest.mark.parametrize("ext", ["epub", "html", "txt", "pdf"])
def test_guests_are_asked_to_log_in_for_a_restricted_work(client, ext):
    work = demo_work(restricted=True)
    response = client.get(url(work, ext))
    assert response.status_code == 403
    assert "Log in to read it" in response.content.decode()
    assert "/users/login?next=" in response.content.decode()
    client.force_login(UserFactory())
    assert client.get(url(work, "epub")).status_code == 200


@pytest.mark.parametrize("ext", ["epub", "html", "txt"])
def test_drafts_and_hidden_works_are_never_downloaded_even_by_their_creators(client, ext):
    creator = UserFactory()
    pseud = creator.pseuds.get()
    draft = demo_work(posted=False, creators=[pseud])
    hidden = demo_work(creators=[pseud])
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    staff = UserFactory(is_staff=True, is_superuser=True)
    for viewer in (None, UserFactory(), creator, staff):
        if viewer:
            client.force_login(viewer)
        assert client.get(url(draft, ext)).status_code == 404
        assert client.get(url(hidden, ext)).status_code == 404
    # The creator still reads both on the site, without a Download menu.
    client.force_login(creator)
    page = client.get(reverse("works:work", args=[draft.pk]) + "?view_adult=true")
    assert page.status_code == 200
    assert "download-menu" not in page.content.decode()
    assert client.get("/downloads/999999/x.epub").status_code == 404


def test_draft_chapters_of_a_posted_work_are_left_out(client):
    creator = UserFactory()
    work = demo_work(chapters=many_chapters(3), creators=[creator.pseuds.get()])
    Chapter.objects.filter(work=work, position=3).update(posted=False)
    client.force_login(creator)
    text = client.get(url(work, "txt")).content.decode()
    assert "chapter 2." in text and "chapter 3." not in text
    epub = zipfile.ZipFile(io.BytesIO(client.get(url(work, "epub")).content))
    assert "EPUB/chapter002.xhtml" in epub.namelist()
    assert "EPUB/chapter003.xhtml" not in epub.namelist()


def test_the_work_page_has_the_download_menu(client):
    work = demo_work()
    page = client.get(reverse("works:work", args=[work.pk]) + "?view_adult=true").content.decode()
    assert 'class="download-menu"' in page
    for ext in ("epub", "html", "txt"):
        assert f'href="{url(work, ext)}"' in page


# --- Text and HTML ----------------------------------------------------------------------------


def test_text_download_is_the_exporters_file_and_parses_back(client):
    work = demo_work(chapters=many_chapters(4), series=(("Barricade Days", 1),))
    response = client.get(url(work, "txt"))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text == work_text_of(works_for_export([work.pk]).get())
    parsed = parse_work_text(text)
    assert parsed.title == work.title
    assert parsed.work_id == work.pk
    assert [c.title for c in parsed.chapters] == [c.title for c in work.chapters.all()]
    assert parsed.rating == "Teen And Up Audiences"
    assert parsed.series[0].title == "Barricade Days"


def test_html_download_is_one_self_contained_styled_page(client):
    work = demo_work(chapters=many_chapters(3))
    response = client.get(url(work, "html"))
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page and "<script" not in page
    assert '<link rel="stylesheet"' not in page
    assert 'href="#chapter' in page  # table of contents
    assert "Chapter 1: Night 1" in page and "Paragraph 19 of chapter 3." in page
    assert "Posted originally on the" in page and "Example Archive" in page
    assert f"https://archive.example.org/works/{work.pk}" in page
    assert "drop by the archive and comment" in page


def test_export_command_writes_the_download_files(tmp_path):
    work = demo_work()
    for fmt, ext in (("epub", "epub"), ("html", "html"), ("text", "txt")):
        out = io.StringIO()
        call_command(
            "export", "--work", str(work.pk), "--format", fmt, "--out", str(tmp_path), stdout=out
        )
        assert out.getvalue().strip() == f"Wrote 1 work to {tmp_path}"
        assert (tmp_path / f"{work.pk}.{ext}").exists()
    with zipfile.ZipFile(tmp_path / f"{work.pk}.epub") as z:
        assert z.read("mimetype") == b"application/epub+zip"
    assert "drop by the archive" in (tmp_path / f"{work.pk}.html").read_text()


# --- Calibre formats --------------------------------------------------------------------------


def _fake_convert(args, **kwargs):
    Path(args[2]).write_bytes(b"%PDF-1.4 fake")
    return subprocess.CompletedProcess(args, 0, b"", b"")


def test_calibre_formats_are_hidden_with_a_note_when_ebook_convert_is_absent(client):
    work = demo_work()
    with mock.patch.object(convert.shutil, "which", return_value=None):
        page = client.get(reverse("works:work", args=[work.pk]) + "?view_adult=true")
        response = client.get(url(work, "pdf"))
    assert "PDF, AZW3 and MOBI are not offered" in page.content.decode()
    assert url(work, "pdf") not in page.content.decode()
    assert response.status_code == 404
    assert "not available here" in response.content.decode()


def test_calibre_file_is_made_once_per_version_and_served(client, settings):
    work = demo_work()
    with (
        mock.patch.object(convert.shutil, "which", return_value="/usr/bin/ebook-convert"),
        mock.patch.object(convert.subprocess, "run", side_effect=_fake_convert) as run,
    ):
        page = client.get(reverse("works:work", args=[work.pk]) + "?view_adult=true")
        assert url(work, "pdf") in page.content.decode()
        first = client.get(url(work, "pdf"))
        assert first.status_code == 200
        assert b"".join(first.streaming_content) == b"%PDF-1.4 fake"
        assert first["Content-Disposition"].startswith("attachment")
        client.get(url(work, "pdf"))
        assert run.call_count == 1  # cached
        assert run.call_args.kwargs["timeout"] == settings.DOWNLOADS_CONVERT_TIMEOUT
        Work.objects.filter(pk=work.pk).update(title=work.title)  # an edit: a new version
        Work.objects.get(pk=work.pk).save()
        client.get(url(work, "pdf"))
        assert run.call_count == 2
    assert len(list((settings.DOWNLOADS_DIR / "works" / str(work.pk)).glob("*.pdf"))) == 2


def test_the_page_says_the_file_is_being_prepared(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    work = demo_work()
    with mock.patch.object(convert.shutil, "which", return_value="/usr/bin/ebook-convert"):
        response = client.get(url(work, "azw3"))
        assert response.status_code == 202
        assert response["Refresh"] == "5"
        assert "Your AZW3 file is being prepared" in response.content.decode()
        from django_tasks import default_task_backend

        assert len(default_task_backend.results) == 1
        client.get(url(work, "azw3"))
        assert len(default_task_backend.results) == 1  # not queued twice


def test_a_conversion_past_the_time_limit_fails_politely(client):
    work = demo_work()

    def too_slow(args, **kwargs):
        raise subprocess.TimeoutExpired(args, kwargs["timeout"])

    with (
        mock.patch.object(convert.shutil, "which", return_value="/usr/bin/ebook-convert"),
        mock.patch.object(convert.subprocess, "run", side_effect=too_slow),
    ):
        response = client.get(url(work, "mobi"))
    assert response.status_code == 503
    assert "could not be made" in response.content.decode()


@pytest.mark.skipif(convert.ebook_convert() is None, reason="calibre is not installed")
@pytest.mark.parametrize("ext", ["pdf", "azw3", "mobi"])
def test_calibre_makes_real_files(client, ext):
    work = demo_work(chapters=many_chapters(2))
    response = client.get(url(work, ext))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF") if ext == "pdf" else b"BOOKMOBI" in data[:100]


# --- Series -----------------------------------------------------------------------------------


def _series():
    pseud = UserFactory(username="corvid").pseuds.get()
    first = demo_work(title="First Night", series=(("Barricade Days", 1),), creators=[pseud])
    second = demo_work(
        title="Second Night", series=(("Barricade Days", 2),), creators=[pseud], restricted=True
    )
    third = demo_work(title="Third Night", series=(("Barricade Days", 3),), creators=[pseud])
    return Series.objects.get(title="Barricade Days"), first, second, third


def test_series_page_lists_the_visible_works_in_order(client):
    series, *_works = _series()
    page = client.get(reverse("downloads:series", args=[series.pk])).content.decode()
    assert page.index("First Night") < page.index("Third Night")
    assert "Second Night" not in page
    assert reverse("downloads:series_epub", args=[series.pk, "Barricade_Days"]) in page
    client.force_login(UserFactory())
    page = client.get(reverse("downloads:series", args=[series.pk])).content.decode()
    assert page.index("First Night") < page.index("Second Night") < page.index("Third Night")
    assert client.get(reverse("downloads:series", args=[999999])).status_code == 404


def test_series_epub_holds_every_visible_work(client):
    series, *_ = _series()
    response = client.get(reverse("downloads:series_epub", args=[series.pk, "x"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Barricade_Days.epub"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        names = z.namelist()
        intro = z.read("EPUB/series.xhtml").decode()
    assert "EPUB/w1-preface.xhtml" in names and "EPUB/w2-preface.xhtml" in names
    assert "EPUB/w3-preface.xhtml" not in names
    assert "1 work of this series is only available to registered users" in intro


def test_a_series_of_drafts_is_not_found(client):
    pseud = UserFactory().pseuds.get()
    demo_work(series=(("Secret", 1),), creators=[pseud], posted=False)
    series = Series.objects.get(title="Secret")
    client.force_login(pseud.user)
    assert client.get(reverse("downloads:series", args=[series.pk])).status_code == 404
    assert client.get(reverse("downloads:series_epub", args=[series.pk, "s"])).status_code == 404


# --- Rate limit -------------------------------------------------------------------------------


def test_too_many_downloads_get_a_friendly_429_with_retry_after(client, settings):
    settings.DOWNLOADS_PER_MINUTE = 3
    work = demo_work()
    for _ in range(3):
        assert client.get(url(work, "txt")).status_code == 200
    response = client.get(url(work, "epub"))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.content.decode()
    assert "Too many downloads at once" in body and "nothing is blocked" in body
    # Another address is not affected.
    assert client.get(url(work, "txt"), REMOTE_ADDR="10.0.0.9").status_code == 200
