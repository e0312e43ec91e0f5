"""Reading history and Marked for Later: what is recorded (and what never is), the owner-only
pages, deleting one entry, clearing, marking for later, and the export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.db import DatabaseError
from django.test import Client

from fanarchive.accounts.models import Preference
from fanarchive.bookmarks.tests.helpers import logged_in, make_work
from fanarchive.history import services
from fanarchive.history.models import Reading
from fanarchive.works.models import Chapter, Work

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_opening_a_work_records_a_visit_and_counts_visits(reader, reader_client, work):
    reader_client.get(f"/works/{work.id}")
    reading = Reading.objects.get(user=reader, work=work)
    assert reading.visits == 1 and reading.chapter_number == 1 and reading.last_visited
    reader_client.get(f"/works/{work.id}")
    reading.refresh_from_db()
    assert reading.visits == 2
    assert Reading.objects.filter(user=reader).count() == 1


def test_the_chapter_reached_is_recorded(reader, reader_client, writer):
    story = make_work("Three Parts", creator=writer, chapters=3)
    second = Chapter.objects.get(work=story, position=2)
    reader_client.get(f"/works/{story.id}/chapters/{second.id}")
    assert Reading.objects.get(user=reader, work=story).chapter_number == 2
    reader_client.get(f"/works/{story.id}?view_full_work=true")
    reading = Reading.objects.get(user=reader, work=story)
    assert reading.chapter_number == 3 and reading.visits == 2


def test_nothing_is_recorded_with_history_off(reader, reader_client, work):
    Preference.objects.update_or_create(user=reader, defaults={"history_enabled": False})
    assert reader_client.get(f"/works/{work.id}").status_code == 200
    assert not Reading.objects.exists()


def test_nothing_is_recorded_for_guests_or_own_works(writer, work):
    Client().get(f"/works/{work.id}")
    logged_in(writer).get(f"/works/{work.id}")
    assert not Reading.objects.exists()


def test_the_adult_notice_is_not_a_read(reader, reader_client, writer):
    explicit = make_work("After Dark", creator=writer, rating="Explicit")
    page = reader_client.get(f"/works/{explicit.id}").content.decode()
    assert "Adult content" in page
    assert not Reading.objects.exists()


def test_a_failed_write_never_fails_the_work_page(reader_client, work, monkeypatch):
    def broken(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(services, "reading_record", broken)
    response = reader_client.get(f"/works/{work.id}")
    assert response.status_code == 200 and "The Barricade" in response.content.decode()
    assert not Reading.objects.exists()


def test_a_first_visit_that_loses_the_race_becomes_an_update(reader, work, monkeypatch):
    Reading.objects.create(user=reader, work=work, visits=4)
    from django.db.models import QuerySet

    real_update = QuerySet.update
    calls = {"n": 0}

    def first_update_misses(self, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            return 0  # as if the other request's row was not yet committed
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", first_update_misses)
    services.reading_record(user=reader, work=work, chapter=None)
    monkeypatch.undo()
    assert Reading.objects.get(user=reader, work=work).visits == 5


def test_history_pages_are_the_owners_only(reader, reader_client, other_client, work):
    reader_client.get(f"/works/{work.id}")
    page = reader_client.get("/users/cosette/readings").content.decode()
    assert "The Barricade" in page and "Visited 1 time" in page and "Chapter 1 of 1" in page
    assert other_client.get("/users/cosette/readings").status_code == 403
    guest = Client().get("/users/cosette/readings")
    assert guest.status_code == 302 and "/users/login" in guest["Location"]
    assert reader_client.get("/users/nobody/readings").status_code == 404


def test_newest_visit_first_and_updated_since_last_visit(reader, reader_client, writer):
    first = make_work("First Read", creator=writer)
    second = make_work("Second Read", creator=writer)
    reader_client.get(f"/works/{first.id}")
    reader_client.get(f"/works/{second.id}")
    page = reader_client.get("/users/cosette/readings").content.decode()
    assert page.index("Second Read") < page.index("First Read")
    assert "Updated since last visit" not in page
    Work.objects.filter(pk=first.pk).update(chapter_count=2, expected_chapters=None)
    page = reader_client.get("/users/cosette/readings").content.decode()
    assert page.count("Updated since last visit") == 1


def test_the_page_links_the_history_preference(reader, reader_client):
    page = reader_client.get("/users/cosette/readings").content.decode()
    assert "Your reading history is on." in page
    assert 'href="/users/cosette/preferences"' in page
    Preference.objects.update_or_create(user=reader, defaults={"history_enabled": False})
    assert (
        "Your reading history is off"
        in reader_client.get("/users/cosette/readings").content.decode()
    )


def test_deleting_one_entry(reader, reader_client, other_client, writer):
    a, b = make_work("Keep", creator=writer), make_work("Drop", creator=writer)
    reader_client.get(f"/works/{a.id}")
    reader_client.get(f"/works/{b.id}")
    assert other_client.post(f"/users/cosette/readings/{b.id}/delete").status_code == 403
    assert reader_client.get(f"/users/cosette/readings/{b.id}/delete").status_code == 405
    reader_client.post(f"/users/cosette/readings/{b.id}/delete")
    assert list(Reading.objects.values_list("work__title", flat=True)) == ["Keep"]


def test_clearing_asks_first_and_keeps_marked_for_later(
    reader, reader_client, other_client, writer
):
    read, marked = make_work("Read", creator=writer), make_work("Marked", creator=writer)
    reader_client.get(f"/works/{read.id}")
    reader_client.get(f"/works/{marked.id}")
    reader_client.post(f"/works/{marked.id}/mark_for_later")
    page = reader_client.get("/users/cosette/readings/clear").content.decode()
    assert "Are you sure you want to clear your history?" in page
    assert Reading.objects.count() == 2
    assert other_client.post("/users/cosette/readings/clear").status_code == 403
    assert Reading.objects.filter(visits__gt=0).count() == 2
    reader_client.post("/users/cosette/readings/clear")
    assert not Reading.objects.filter(visits__gt=0).exists()
    assert list(Reading.objects.filter(to_read=True).values_list("work__title", flat=True)) == [
        "Marked"
    ]
    assert "Your history is empty." in reader_client.get("/users/cosette/readings").content.decode()


def test_mark_for_later_and_mark_as_read(reader, reader_client, work):
    page = reader_client.get(f"/works/{work.id}").content.decode()
    assert "Mark for Later" in page
    response = reader_client.post(f"/works/{work.id}/mark_for_later", {"next": f"/works/{work.id}"})
    assert response.status_code == 302 and response["Location"] == f"/works/{work.id}"
    assert "Mark as Read" in reader_client.get(f"/works/{work.id}").content.decode()
    listed = reader_client.get("/users/cosette/readings?show=to-read").content.decode()
    assert "The Barricade" in listed and "Marked for Later" in listed
    reader_client.post(f"/works/{work.id}/mark_as_read")
    listed = reader_client.get("/users/cosette/readings?show=to-read").content.decode()
    assert "The Barricade" not in listed
    # Read once: the history entry stays, unmarked.
    reading = Reading.objects.get(user=reader, work=work)
    assert reading.visits >= 1 and not reading.to_read


def test_marking_only_and_unmarking_leaves_nothing(reader, reader_client, work):
    services.mark_for_later(user=reader, work=work)
    services.mark_as_read(user=reader, work_id=work.id)
    assert not Reading.objects.exists()


def test_mark_for_later_refusals(reader_client, writer):
    draft = make_work("Draft", creator=writer, posted=False)
    assert reader_client.post(f"/works/{draft.id}/mark_for_later").status_code == 404
    assert reader_client.get(f"/works/{draft.id}/mark_for_later").status_code == 405
    guest = Client().post(f"/works/{draft.id}/mark_for_later")
    assert guest.status_code == 302
    restricted = make_work("Members", creator=writer, restricted=True)
    assert reader_client.post(f"/works/{restricted.id}/mark_for_later").status_code == 302
    assert not Reading.objects.filter(work=draft).exists()


def test_an_unsafe_next_is_ignored(reader_client, work):
    response = reader_client.post(
        f"/works/{work.id}/mark_for_later", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/works/{work.id}"


def test_works_no_longer_visible_leave_the_lists(reader, reader_client, writer):
    gone = make_work("Gone", creator=writer)
    reader_client.get(f"/works/{gone.id}")
    services.mark_for_later(user=reader, work=gone)
    Work.objects.filter(pk=gone.pk).update(hidden_by_admin=True)
    assert "Gone" not in reader_client.get("/users/cosette/readings").content.decode()
    assert "Gone" not in reader_client.get("/users/cosette/readings?show=to-read").content.decode()
    assert "Gone" not in body(reader_client.get("/users/cosette/readings/export.csv"))


def test_the_nav_links_history(reader_client):
    assert 'href="/users/cosette/readings">History</a>' in reader_client.get("/").content.decode()


def test_export_history_and_marked_for_later(reader, reader_client, other_client, writer):
    story = make_work("=cmd|' /C calc'!A0", creator=writer, chapters=2)
    later = make_work("Later", creator=writer)
    reader_client.get(f"/works/{story.id}")
    services.mark_for_later(user=reader, work=later)
    response = reader_client.get("/users/cosette/readings/export.csv")
    (row,) = csv.DictReader(io.StringIO(body(response).lstrip("\ufeff")))
    assert row["title"].startswith("'=cmd")
    assert row["visits"] == "1" and row["last_chapter_read"] == "1" and row["chapters"] == "2/2"
    marked = json.loads(body(reader_client.get("/users/cosette/readings/export.json?show=to-read")))
    assert [m["title"] for m in marked["marked_for_later"]] == ["Later"]
    assert marked["marked_for_later"][0]["marked_for_later"] is True
    assert other_client.get("/users/cosette/readings/export.csv").status_code == 403
    assert other_client.get("/users/cosette/readings/export.json").status_code == 403
    assert Client().get("/users/cosette/readings/export.csv").status_code == 302
