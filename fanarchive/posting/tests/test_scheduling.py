"""Scheduled posting: a work with a "post at" time stays a draft until then; the background
task queued for that time posts it, and `fanarchive works post-due` is the safety net."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import default_task_backend

from fanarchive.works.models import Chapter, Work
from fanarchive.works.services import works_post_due
from fanarchive.works.tasks import post_due_work
from fanarchive.works.tests.factories import WorkFactory

from .conftest import form_data

# A fixed instant near the real one (sessions made by force_login expire in real time).
NOW = (datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1)).replace(
    minute=0, second=0, microsecond=0
)


def at(**delta):
    return NOW + datetime.timedelta(**delta)


@pytest.fixture
def frozen():
    """Freeze django.utils.timezone.now (what the form, services and command read)."""
    with mock.patch("django.utils.timezone.now", return_value=NOW) as patched:
        yield patched


def schedule(client, when, **changes):
    local = timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")
    return client.post("/works/new", form_data(publish_at=local, **changes))


def test_scheduled_work_is_a_hidden_draft_with_a_queued_task(writer_client, client, frozen):
    response = schedule(writer_client, at(hours=2), freeforms="Scheduled Tag")
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}/preview"
    assert not work.posted
    assert work.publish_at == at(hours=2)
    # One task, to run at that time, for this work.
    [result] = default_task_backend.results
    assert result.task.func is post_due_work.func
    assert result.task.run_after == at(hours=2)
    assert result.kwargs == {"work_id": work.pk}
    # Invisible to others until then.
    assert client.get(f"/works/{work.pk}").status_code == 404
    assert work.title not in client.get("/tags/Scheduled%20Tag/works").content.decode()
    preview = writer_client.get(f"/works/{work.pk}/preview").content.decode()
    assert "scheduled" in preview and "Post now" in preview


def test_save_as_draft_with_a_time_is_scheduled_too(writer_client, frozen):
    schedule(writer_client, at(days=1), action="draft")
    work = Work.objects.get()
    assert not work.posted and work.publish_at == at(days=1)
    assert len(default_task_backend.results) == 1


def test_post_due_posts_only_due_works_and_is_idempotent(writer_client, client, frozen):
    schedule(writer_client, at(hours=1), title="Soon", freeforms="Due Tag")
    schedule(writer_client, at(days=3), title="Later")
    unscheduled = WorkFactory(posted=False, title="Plain draft")
    soon, later = Work.objects.get(title="Soon"), Work.objects.get(title="Later")

    frozen.return_value = at(hours=1, minutes=1)
    out = StringIO()
    call_command("works", "post-due", stdout=out)
    assert f"Posted 1 scheduled work(s) ({soon.pk})" in out.getvalue()
    soon.refresh_from_db()
    later.refresh_from_db()
    unscheduled.refresh_from_db()
    assert soon.posted and soon.publish_at is None
    today = timezone.localdate(at(hours=1, minutes=1))
    assert soon.published == today == soon.updated
    assert Chapter.objects.get(work=soon).published == today
    assert not later.posted and later.publish_at == at(days=3)
    assert not unscheduled.posted
    # Readers see it at once: work page, tag page, search.
    assert client.get(f"/works/{soon.pk}").status_code == 200
    assert "Soon" in client.get("/tags/Due%20Tag/works").content.decode()
    assert "Soon" in client.get("/works/search", {"q": "barricade"}).content.decode()
    # Running it again posts nothing more.
    out = StringIO()
    call_command("works", "post-due", stdout=out)
    assert "Posted 0 scheduled work(s)" in out.getvalue()

    frozen.return_value = at(days=3)  # exactly due
    assert works_post_due() == ([later.pk], [])
    later.refresh_from_db()
    assert later.posted


def test_the_queued_task_posts_when_run(writer_client, frozen):
    schedule(writer_client, at(minutes=30))
    work = Work.objects.get()
    # Run too early (a worker clock ahead of the schedule): nothing happens.
    assert post_due_work.call(work_id=work.pk) is False
    work.refresh_from_db()
    assert not work.posted
    frozen.return_value = at(minutes=30)
    assert post_due_work.call(work_id=work.pk) is True
    work.refresh_from_db()
    assert work.posted
    assert post_due_work.call(work_id=work.pk) is False  # twice: harmless


def test_moving_the_schedule_later_makes_the_old_task_a_no_op(writer_client, frozen):
    schedule(writer_client, at(hours=1))
    work = Work.objects.get()
    later = timezone.localtime(at(hours=5)).strftime("%Y-%m-%dT%H:%M")
    response = writer_client.post(
        f"/works/{work.pk}/edit", form_data(publish_at=later, action="draft")
    )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.publish_at == at(hours=5)
    assert [r.task.run_after for r in default_task_backend.results] == [at(hours=1), at(hours=5)]
    frozen.return_value = at(hours=1)
    assert post_due_work.call(work_id=work.pk) is False
    work.refresh_from_db()
    assert not work.posted


def test_clearing_the_schedule_keeps_a_plain_draft(writer_client, frozen):
    schedule(writer_client, at(hours=1))
    work = Work.objects.get()
    writer_client.post(f"/works/{work.pk}/edit", form_data(publish_at="", action="draft"))
    work.refresh_from_db()
    assert work.publish_at is None and not work.posted
    frozen.return_value = at(hours=2)
    assert works_post_due() == ([], [])


def test_post_now_overrides_the_schedule(writer_client, client, frozen):
    schedule(writer_client, at(days=2))
    work = Work.objects.get()
    writer_client.post(f"/works/{work.pk}/post")
    work.refresh_from_db()
    assert work.posted and work.publish_at is None
    assert client.get(f"/works/{work.pk}").status_code == 200
    frozen.return_value = at(days=2)
    assert works_post_due() == ([], [])


def test_post_at_in_the_past_is_refused(writer_client, frozen):
    response = schedule(writer_client, at(minutes=-1))
    assert response.status_code == 400
    assert "has already passed" in response.content.decode()
    assert Work.objects.count() == 0
    assert default_task_backend.results == []


def test_due_scheduled_chapters_are_posted_by_the_same_command(writer_client, frozen):
    work = WorkFactory()
    Chapter.objects.create(
        work=work,
        position=2,
        text="<p>Later chapter words</p>",
        word_count=3,
        published=timezone.localdate(at(days=1)),
        posted=False,
        publish_at=at(days=1),
    )
    out = StringIO()
    call_command("works", "post-due", stdout=out)
    assert "and 0 scheduled chapter(s)" in out.getvalue()
    frozen.return_value = at(days=1)
    call_command("works", "post-due", stdout=(out := StringIO()))
    assert "and 1 scheduled chapter(s)" in out.getvalue()
    work.refresh_from_db()
    assert work.chapter_count == 2


def test_a_backend_that_cannot_defer_leaves_it_to_the_command(settings, writer_client, frozen):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response = schedule(writer_client, at(hours=1))
    assert response.status_code == 302
    work = Work.objects.get()
    assert not work.posted
    frozen.return_value = at(hours=1)
    assert works_post_due() == ([work.pk], [])


def test_scheduling_with_the_database_backend_stores_the_task(settings, writer_client, frozen):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    schedule(writer_client, at(hours=3))
    row = DBTaskResult.objects.get()
    assert row.run_after == at(hours=3)
    assert row.args_kwargs["kwargs"] == {"work_id": Work.objects.get().pk}
