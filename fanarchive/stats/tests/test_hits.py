"""Hits: once per work per visitor address per day, not the creators' own visits, not bots;
the roll-up adds them to the counters exactly once."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.stats import hits
from fanarchive.stats.models import Hit, HitDay
from fanarchive.stats.rollup import hits_rollup
from fanarchive.works.models import Work, WorkStats
from fanarchive.works.tests.factories import WorkFactory

from .conftest import FIREFOX, GOOGLEBOT, reader

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch):
    today = {"day": DAY}
    monkeypatch.setattr(hits, "_today", lambda: today["day"])
    return today


def hits_of(work):
    hits_rollup(today=DAY)
    return WorkStats.objects.get(work=work).hits


def read(work, **kwargs):
    response = reader(**kwargs).get(f"/works/{work.pk}")
    assert response.status_code == 200
    return response


def test_one_hit_per_address_per_day(work):
    read(work)
    read(work)
    read(work)
    assert Hit.objects.count() == 1
    assert hits_of(work) == 1


def test_a_second_address_counts(work):
    read(work, ip="203.0.113.5")
    read(work, ip="198.51.100.7")
    read(work, ip="198.51.100.7")
    assert hits_of(work) == 2


def test_the_next_day_counts_again(work, _fixed_day):
    read(work)
    _fixed_day["day"] = DAY + datetime.timedelta(days=1)
    read(work)
    assert hits_rollup(today=DAY).hits == 2
    assert WorkStats.objects.get(work=work).hits == 2
    days = dict(HitDay.objects.filter(work=work).values_list("day", "hits"))
    assert days == {DAY: 1, DAY + datetime.timedelta(days=1): 1}


def test_each_chapter_page_of_a_work_is_the_same_hit(work):
    chapter = work.chapters.get()
    client = reader()
    client.get(f"/works/{work.pk}")
    client.get(f"/works/{work.pk}/chapters/{chapter.pk}")
    client.get(f"/works/{work.pk}?view_full_work=true")
    assert hits_of(work) == 1


def test_each_work_counts_on_its_own(work):
    other = WorkFactory()
    read(work)
    read(other)
    hits_rollup(today=DAY)
    assert WorkStats.objects.get(work=work).hits == 1
    assert WorkStats.objects.get(work=other).hits == 1


def test_the_creators_own_visit_is_not_counted(work, creator):
    read(work, user=creator)
    assert Hit.objects.count() == 0
    assert hits_of(work) == 0


def test_a_co_creators_visit_is_not_counted(creator):
    from fanarchive.works.models import Creatorship

    co = UserFactory(username="cocreator")
    work = WorkFactory(creator=creator.pseuds.get())
    Creatorship.objects.create(work=work, pseud=co.pseuds.get(), position=1)
    read(work, user=co)
    assert hits_of(work) == 0


def test_another_logged_in_reader_is_counted(work):
    read(work, user=UserFactory(username="marius"))
    assert hits_of(work) == 1


@pytest.mark.parametrize(
    "ua",
    [
        GOOGLEBOT,
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
        "python-requests/2.32.3",
        "curl/8.5.0",
        "",
    ],
)
def test_bots_are_not_counted(work, ua):
    read(work, ua=ua)
    assert Hit.objects.count() == 0
    assert hits_of(work) == 0


def test_browsers_are_not_bots():
    assert not hits.is_bot(FIREFOX)
    assert not hits.is_bot(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    )
    assert hits.is_bot(GOOGLEBOT)


def test_the_adult_notice_is_not_a_hit():
    from fanarchive.tags.models import Tag

    work = WorkFactory(tags=[Tag.objects.get(name="Explicit")])
    response = reader().get(f"/works/{work.pk}")
    assert "could have adult content" in response.text
    assert Hit.objects.count() == 0
    reader().get(f"/works/{work.pk}?view_adult=true")
    assert hits_of(work) == 1


def test_a_draft_shown_to_its_creator_is_not_counted(creator):
    draft = WorkFactory(creator=creator.pseuds.get(), posted=False)
    reader(user=creator).get(f"/works/{draft.pk}")
    assert Hit.objects.count() == 0


def test_the_address_is_never_stored(work):
    read(work, ip="203.0.113.5")
    row = Hit.objects.get()
    assert "203.0.113.5" not in row.visitor
    assert len(row.visitor) == 32
    assert row.visitor == hits.visitor_key("203.0.113.5", DAY)
    # A different key each day: the table cannot follow a reader across days.
    assert hits.visitor_key("203.0.113.5", DAY + datetime.timedelta(days=1)) != row.visitor


def test_the_roll_up_is_idempotent(work):
    read(work, ip="203.0.113.5")
    read(work, ip="203.0.113.6")
    first = hits_rollup(today=DAY)
    assert (first.hits, first.works) == (2, 1)
    second = hits_rollup(today=DAY)
    assert (second.hits, second.works) == (0, 0)
    assert WorkStats.objects.get(work=work).hits == 2
    assert HitDay.objects.get(work=work, day=DAY).hits == 2
    # A repeat visit after the roll-up is still the same day's hit: nothing more.
    read(work, ip="203.0.113.5")
    assert hits_rollup(today=DAY).hits == 0
    read(work, ip="203.0.113.7")
    assert hits_rollup(today=DAY).hits == 1
    assert WorkStats.objects.get(work=work).hits == 3
    assert HitDay.objects.get(work=work, day=DAY).hits == 3


def test_the_roll_up_counts_in_batches(work):
    for n in range(5):
        read(work, ip=f"203.0.113.{n}")
    result = hits_rollup(batch_size=2, today=DAY)
    assert result.hits == 5
    assert WorkStats.objects.get(work=work).hits == 5
    assert not Hit.objects.filter(counted=False).exists()


def test_the_roll_up_deletes_old_visitor_rows_but_keeps_the_totals(work, _fixed_day):
    read(work)
    hits_rollup(today=DAY)
    assert hits_rollup(today=DAY + datetime.timedelta(days=2)).deleted == 0
    assert hits_rollup(today=DAY + datetime.timedelta(days=3)).deleted == 1
    assert Hit.objects.count() == 0
    assert WorkStats.objects.get(work=work).hits == 1
    assert HitDay.objects.get(work=work).hits == 1


def test_hits_of_a_deleted_work_are_dropped(work):
    # A hit recorded while its work was being deleted (the hit has no foreign key).
    gone = Work.objects.order_by("-pk").first().pk + 100
    Hit.objects.create(work_id=gone, day=DAY, visitor="0" * 32)
    read(work)
    result = hits_rollup(today=DAY)
    assert (result.hits, result.works) == (2, 1)
    assert list(HitDay.objects.values_list("work_id", flat=True)) == [work.pk]
    assert WorkStats.objects.get(work=work).hits == 1


def test_not_a_get_is_not_a_hit(work):
    factory = RequestFactory(HTTP_USER_AGENT=FIREFOX)
    request = factory.head(f"/works/{work.pk}")
    request.user = AnonymousUser()
    assert hits.record_hit(request, work.pk) is False
    assert Hit.objects.count() == 0


# --- record_hit without the view: what the guest page cache calls ------------------------


def guest_request(work, ip="192.0.2.10", ua=FIREFOX):
    request = RequestFactory().get(f"/works/{work.pk}", HTTP_USER_AGENT=ua, REMOTE_ADDR=ip)
    request.user = AnonymousUser()
    return request


def test_record_hit_counts_a_page_served_without_the_view(work):
    assert hits.record_hit(guest_request(work), work.pk) is True
    hits.record_hit(guest_request(work), work.pk)
    hits.record_hit(guest_request(work, ip="192.0.2.11"), work.pk)
    assert hits_of(work) == 2


def test_a_repeat_visit_this_process_stored_makes_no_write(
    work, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        assert hits.record_hit(guest_request(work), work.pk) is True
    with django_assert_num_queries(0):
        assert hits.record_hit(guest_request(work), work.pk) is False
    # Another address, or the same one on another work, is written.
    with django_capture_on_commit_callbacks(execute=True):
        assert hits.record_hit(guest_request(work, ip="192.0.2.12"), work.pk) is True
    assert hits_of(work) == 2


def test_a_hit_rolled_back_is_not_remembered(work, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        hits.record_hit(guest_request(work), work.pk)
        transaction.set_rollback(True)
    assert Hit.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert hits.record_hit(guest_request(work), work.pk) is True
    assert Hit.objects.count() == 1


def test_the_memory_of_recent_hits_forgets_the_oldest():
    memory = hits.RecentHits(size=2)
    for n in (1, 2, 3):
        memory.add((n, DAY, "v"))
    assert not memory.seen((1, DAY, "v"))
    assert memory.seen((2, DAY, "v")) and memory.seen((3, DAY, "v"))


def test_record_hit_refuses_bots_and_creators(work, creator):
    assert hits.record_hit(guest_request(work, ua=GOOGLEBOT), work.pk) is False
    request = guest_request(work)
    request.user = creator
    assert hits.record_hit(request, work.pk) is False
    assert Hit.objects.count() == 0


def test_record_hit_needs_no_user_on_the_request(work):
    request = RequestFactory().get("/", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="192.0.2.1")
    assert hits.record_hit(request, work.pk) is True


def test_the_cached_page_signal_counts_a_hit(work):
    from fanarchive.works import signals

    cached = getattr(signals, "work_read_cached", None)
    if cached is None:
        pytest.skip("the page cache sends no signal of its own yet")
    cached.send(sender=None, request=guest_request(work), work_id=work.pk)
    assert hits_of(work) == 1


def test_record_hit_survives_a_database_error(work, monkeypatch):
    from django.db import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(Hit.objects, "bulk_create", broken)
    assert hits.record_hit(guest_request(work), work.pk) is False


# --- The schedule -------------------------------------------------------------------------


def test_a_hit_queues_one_roll_up_a_minute_later(work):
    from django_tasks import default_task_backend

    read(work, ip="203.0.113.1")
    read(work, ip="203.0.113.2")
    queued = default_task_backend.results
    assert [r.task.module_path for r in queued] == ["fanarchive.stats.tasks.rollup_hits"]
    assert queued[0].task.run_after is not None


def test_no_roll_up_is_queued_when_the_backend_cannot_defer(work, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert hits.schedule_rollup() is False


def test_the_roll_up_task_counts(work):
    from fanarchive.stats.tasks import rollup_hits

    read(work)
    assert rollup_hits.func() == 1
    assert WorkStats.objects.get(work=work).hits == 1


def test_with_the_database_queue_one_roll_up_waits_at_a_time(work, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert hits.schedule_rollup() is True
    hits.reset_schedule()  # as if another server process asked
    assert hits.schedule_rollup() is False
    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == "fanarchive.stats.tasks.rollup_hits"
    assert waiting.status == "READY"
