"""The bookmarks export: owner only, CSV and JSON, gated (works the owner can no longer see are
left out), and CSV cells guarded against formula injection."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from fanarchive.bookmarks.export import csv_safe
from fanarchive.bookmarks.services import BookmarkData, bookmark_save
from fanarchive.works.models import Series, Work

from .helpers import fandom, make_work

pytestmark = pytest.mark.django_db


def bookmark(user, work=None, series=None, **fields):
    data = BookmarkData(pseud=user.pseuds.get(is_default=True), **fields)
    return bookmark_save(user=user, work=work, series=series, data=data)[0]


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body(response).lstrip("\ufeff"))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (5, 5),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def test_export_is_for_the_owner_only(reader, work):
    bookmark(reader, work)
    for path in ("/users/cosette/bookmarks/export.csv", "/users/cosette/bookmarks/export.json"):
        guest = Client().get(path)  # a guest is sent to log in, then back here
        assert guest.status_code == 302
        assert guest["Location"] == f"/users/login?next={path}"
        from fanarchive.accounts.tests.factories import UserFactory

        stranger = Client()
        stranger.force_login(UserFactory())
        assert stranger.get(path).status_code == 403
    assert stranger.get("/users/nobody/bookmarks/export.csv").status_code == 404


def test_csv_export_columns_and_injection_guard(reader, reader_client, writer):
    les_mis = fandom()
    evil = make_work('=HYPERLINK("http://evil.example","click")', creator=writer, tags=[les_mis])
    bookmark(reader, evil, notes="-1+2 notes", tags="@mention, fine", rec=True, private=True)
    response = reader_client.get("/users/cosette/bookmarks/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    (row,) = rows(response)
    assert row["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["notes"] == "'-1+2 notes"
    assert row["tags"] == "'@mention, fine"
    assert row["work_id"] == str(evil.pk) and row["type"] == "work"
    assert row["fandoms"] == les_mis.name and row["creators"] == "hugo"
    assert row["url"].endswith(f"/works/{evil.pk}")
    assert row["rec"] == "yes" and row["private"] == "yes"


def test_json_export_keeps_values_as_they_are(reader, reader_client, writer):
    work = make_work("=Plain Title", creator=writer)
    bookmark(reader, work, notes="<p>note</p>", tags="a, b")
    response = reader_client.get("/users/cosette/bookmarks/export.json")
    data = json.loads(body(response))
    (item,) = data["bookmarks"]
    assert item["title"] == "=Plain Title"
    assert item["tags"] == ["a", "b"] and item["notes"] == "note"
    assert item["rec"] is False and item["work_id"] == work.pk


def test_export_leaves_out_what_the_owner_can_no_longer_see(reader, reader_client, writer):
    kept = make_work("Members Only", creator=writer, restricted=True)
    gone = make_work("Hidden Later", creator=writer)
    make_work("Series Part", creator=writer, series=("Lamplight", 1))
    bookmark(reader, kept)
    bookmark(reader, gone)
    bookmark(reader, series=Series.objects.get(title="Lamplight"))
    Work.objects.filter(pk=gone.pk).update(hidden_by_admin=True)
    titles = [r["title"] for r in rows(reader_client.get("/users/cosette/bookmarks/export.csv"))]
    assert sorted(titles) == ["Lamplight", "Members Only"]
    items = json.loads(body(reader_client.get("/users/cosette/bookmarks/export.json")))["bookmarks"]
    assert sorted(i["title"] for i in items) == ["Lamplight", "Members Only"]
    assert {i["type"] for i in items} == {"work", "series"}


def test_export_streams_many_bookmarks_in_chunks(reader, writer):
    from fanarchive.bookmarks.selectors import bookmarks_for_export

    for n in range(7):
        bookmark(reader, make_work(f"W{n}", creator=writer))
    entries = list(bookmarks_for_export(owner=reader, chunk=3))
    assert [e.meta.work.title for e in entries] == [f"W{n}" for n in reversed(range(7))]
