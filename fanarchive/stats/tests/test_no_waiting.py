"""Counters never serialize posting, and hits never make readers wait (PostgreSQL, where
writers run at once; SQLite has one writer at a time by design). Each check runs the second
writer in a thread of its own, on its own connection, with a lock_timeout: were it to wait for
the first writer's locks, it would fail with a lock timeout instead of hanging."""

import datetime
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections, transaction
from django.test import RequestFactory

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.stats import hits
from fanarchive.stats.models import Hit
from fanarchive.stats.rollup import hits_rollup
from fanarchive.tags.models import TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.counts import counts_add
from fanarchive.works.models import Work, WorkStats
from fanarchive.works.services import ChapterDraft, WorkDraft, work_post
from fanarchive.works.tests.factories import WorkFactory

from .conftest import FIREFOX

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's concurrency"),
    pytest.mark.django_db(transaction=True),
]


def in_other_connection(job):
    """Run `job()` in a thread with its own connection that gives up on any lock after 3 s
    (and on any statement after 20 s); returns what it returned or raises what it raised."""
    outcome = {}

    def run():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SET lock_timeout = '3s'")
                cursor.execute("SET statement_timeout = '20s'")
            outcome["value"] = job()
        except BaseException as error:  # handed to the test's thread
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the second writer hung despite its timeouts"
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@pytest.fixture
def fandom(db):
    return TagFactory(name="Les Misérables", type=TagType.FANDOM, canonical=True)


def post_in(fandom, title):
    writer = UserFactory()
    draft = WorkDraft(
        title=title,
        creators=[writer.pseuds.get()],
        chapters=[ChapterDraft(text="<p>The barricade at dawn.</p>")],
        published=datetime.date(2026, 1, 1),
        tags=[fandom],
    )
    return work_post(draft=draft).pk


def test_an_open_kudos_does_not_hold_up_posting_in_the_fandom(fandom):
    a = WorkFactory(tags=[fandom], title="A")
    b = WorkFactory(tags=[fandom], title="B")
    with transaction.atomic():
        counts_add(a.pk, kudos=1)  # held open while the other writer works

        def post_and_count():
            new = post_in(fandom, "Posted meanwhile")
            counts_add(b.pk, kudos=1, comments=1, bookmarks=1)
            counts_add(new, kudos=1)
            return new

        new_id = in_other_connection(post_and_count)
    assert Work.objects.filter(pk=new_id, title="Posted meanwhile").exists()
    assert WorkStats.objects.get(work=a).kudos == 1
    assert WorkStats.objects.get(work=b).kudos == 1
    assert WorkStats.objects.get(work_id=new_id).kudos == 1


def test_posting_does_not_hold_up_a_kudos(fandom):
    a = WorkFactory(tags=[fandom], title="A")
    with transaction.atomic():
        post_in(fandom, "Being posted")  # tags, filters, change log: held open
        in_other_connection(lambda: counts_add(a.pk, kudos=1))
    assert WorkStats.objects.get(work=a).kudos == 1


def guest(ip):
    request = RequestFactory().get("/", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR=ip)
    request.user = AnonymousUser()
    return request


def test_readers_hits_do_not_wait_for_each_other(fandom):
    a = WorkFactory(tags=[fandom], title="A")
    with transaction.atomic():
        assert hits.record_hit(guest("203.0.113.1"), a.pk)  # a reader's insert, not committed
        # Another reader of the same work, and the first reader's address on another work.
        in_other_connection(lambda: hits.record_hit(guest("203.0.113.2"), a.pk))
    assert Hit.objects.filter(work=a).count() == 2


def test_a_roll_up_does_not_hold_up_new_readers_or_posting(fandom):
    """(A kudos on a work whose hits are being rolled up waits for that one short transaction:
    both add to the same stats row. Nothing else does.)"""
    a = WorkFactory(tags=[fandom], title="A")
    b = WorkFactory(tags=[fandom], title="B")
    hits.record_hit(guest("203.0.113.1"), a.pk)
    with transaction.atomic():
        assert hits_rollup().hits == 1  # its locks held until this block ends

        def read_and_post():
            hits.record_hit(guest("203.0.113.9"), a.pk)  # a new reader of the same work
            hits.record_hit(guest("203.0.113.1"), b.pk)
            counts_add(b.pk, kudos=1)
            return post_in(fandom, "Posted during a roll-up")

        in_other_connection(read_and_post)
    assert hits_rollup().hits == 2
    assert WorkStats.objects.get(work=a).hits == 2
    assert (WorkStats.objects.get(work=b).hits, WorkStats.objects.get(work=b).kudos) == (1, 1)
