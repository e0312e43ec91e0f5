"""Chapter management: the services (counts, dates, positions, completeness, scheduling) and
the pages at AO3's addresses (who may use them, CSRF, bad input)."""

import datetime
import re
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works import chapters as services
from fanarchive.works.models import Chapter, Work
from fanarchive.works.signals import works_changed
from fanarchive.works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db

DAY0 = datetime.date(2024, 1, 1)


def day(n):
    return DAY0 + datetime.timedelta(days=n)


def content(text="Words one two three.", **kw):
    return services.ChapterContent(text=text, plain=True, **kw)


def fresh(work):
    return Work.objects.get(pk=work.pk)


def positions(work):
    return list(
        Chapter.objects.filter(work=work).order_by("position").values_list("title", "position")
    )


@pytest.fixture
def writer():
    return UserFactory(username="hugo")


@pytest.fixture
def work(writer):
    """A posted one-shot (1/1, complete) by hugo, published on DAY0."""
    return WorkFactory(
        title="Les Misérables",
        creator=writer.pseuds.get(is_default=True),
        text="The bishop of Digne.",  # 4 words
    )


@pytest.fixture
def writer_client(writer):
    client = Client()
    client.force_login(writer)
    return client


def three_chapters(work):
    """Chapters "Two" and "Three" added on days 1 and 2, expecting 3: a complete 3/3."""
    services.chapter_add(work=work, content=content(title="Two"), expected_chapters=3, today=day(1))
    services.chapter_add(work=work, content=content(title="Three"), today=day(2))
    return fresh(work)


# --- Services: counts, dates, completeness ---------------------------------------------------


def test_adding_a_posted_chapter_updates_counts_and_dates(work):
    assert (work.chapter_count, work.word_count, work.updated) == (1, 4, DAY0)
    chapter = services.chapter_add(
        work=work, content=content("Jean Valjean walks on."), today=day(5)
    )
    work = fresh(work)
    assert chapter.position == 2 and chapter.posted and chapter.published == day(5)
    assert chapter.word_count == 4
    assert (work.chapter_count, work.word_count) == (2, 8)
    assert work.updated == day(5) and work.published == DAY0
    # AO3's rule: the work expected 1 chapter and now has 2, so the total becomes unknown.
    assert work.expected_chapters is None and not work.complete
    assert work.chapters_display == "2/?"


def test_posting_the_last_expected_chapter_marks_the_work_complete(work):
    services.chapter_add(work=work, content=content(), expected_chapters=3, today=day(1))
    work = fresh(work)
    assert work.chapters_display == "2/3" and not work.complete
    services.chapter_add(work=work, content=content(), today=day(2))
    work = fresh(work)
    assert work.chapters_display == "3/3" and work.complete


def test_a_question_mark_keeps_the_work_in_progress(work):
    services.chapter_add(work=work, content=content(), expected_chapters=None, today=day(1))
    assert fresh(work).chapters_display == "2/?"
    assert not fresh(work).complete


def test_an_expected_total_below_the_chapters_written_means_unknown(work):
    services.chapter_add(work=work, content=content(), expected_chapters=3, today=day(1))
    services.chapter_add(work=work, content=content(), expected_chapters=2, today=day(2))
    assert fresh(work).chapters_display == "3/?"


def test_adding_at_a_position_moves_the_later_chapters_down(work):
    work = three_chapters(work)
    services.chapter_add(work=work, content=content(title="Interlude"), position=2, today=day(3))
    assert positions(work) == [("", 1), ("Interlude", 2), ("Two", 3), ("Three", 4)]
    with pytest.raises(ValidationError) as exc:
        services.chapter_add(work=work, content=content(), position=9)
    assert "between 1 and 5" in str(exc.value)


def test_a_draft_chapter_counts_only_once_posted(work):
    draft = services.chapter_add(
        work=work, content=content("Four words right here."), post=False, expected_chapters=2
    )
    work = fresh(work)
    assert not draft.posted
    assert (work.chapter_count, work.word_count, work.updated) == (1, 4, DAY0)
    assert work.chapters_display == "1/2" and not work.complete
    services.chapter_post(chapter=draft, today=day(9))
    work = fresh(work)
    assert (work.chapter_count, work.word_count, work.updated) == (2, 8, day(9))
    assert work.complete
    assert Chapter.objects.get(pk=draft.pk).published == day(9)


def test_editing_a_chapter_recounts_words_but_keeps_the_updated_date(work):
    work = three_chapters(work)
    second = work.chapters.get(position=2)
    services.chapter_update(
        chapter=second, content=content("Now this chapter has six words.", title="Two")
    )
    work = fresh(work)
    assert work.word_count == 4 + 6 + 4
    assert work.updated == day(2)
    assert work.chapters.get(position=2).word_count == 6


def test_chapter_text_html_is_sanitized_and_plain_text_escaped(work):
    chapter = services.chapter_add(
        work=work,
        content=services.ChapterContent(
            text='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x">l</a></p>',
            title="  A   <b>title</b> ",
            summary="<p>Sum<iframe src='https://evil.example'></iframe></p>",
        ),
    )
    assert "script" not in chapter.text and "onclick" not in chapter.text
    assert "javascript" not in chapter.text and "iframe" not in chapter.summary
    assert chapter.title == "A <b>title</b>"  # plain text, escaped where shown
    plain = services.chapter_add(work=work, content=content("a <b>\n\nsecond"))
    assert plain.text == "<p>a &lt;b&gt;</p>\n<p>second</p>"
    pasted = services.chapter_add(
        work=work, content=services.ChapterContent(text="One <em>x</em>\nline\n\nTwo")
    )
    assert pasted.text == "<p>One <em>x</em><br>\nline</p>\n<p>Two</p>"


def test_a_chapter_needs_text(work):
    with pytest.raises(ValidationError) as exc:
        services.chapter_add(work=work, content=services.ChapterContent(text="<p> </p>"))
    assert exc.value.message_dict == {"text": ["A chapter needs some text."]}
    assert fresh(work).chapter_count == 1


def test_every_chapter_write_tells_listeners(work):
    seen = []

    def listener(sender, work_ids, **kwargs):
        seen.append(list(work_ids))

    works_changed.connect(listener)
    try:
        chapter = services.chapter_add(work=work, content=content(), today=day(1))
        services.chapter_update(chapter=chapter, content=content("x"))
        services.chapters_reorder(
            work=work, positions={chapter.pk: 1, work.chapters.get(position=1).pk: 2}
        )
        services.chapter_delete(chapter=chapter)
    finally:
        works_changed.disconnect(listener)
    assert seen == [[work.pk]] * 4


# --- Services: reorder and delete ------------------------------------------------------------


def test_reorder_puts_chapters_in_the_new_order(work):
    work = three_chapters(work)
    ids = {title or "One": pk for pk, title in work.chapters.values_list("pk", "title")}
    services.chapters_reorder(work=work, positions={ids["Three"]: 1, ids["One"]: 2, ids["Two"]: 3})
    assert positions(work) == [("Three", 1), ("", 2), ("Two", 3)]
    work = fresh(work)
    assert (work.chapter_count, work.word_count, work.updated) == (3, 12, day(2))


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"One": 1, "Two": 1, "Three": 2}, "Position 1 is given to more than one chapter"),
        ({"One": 1, "Two": 2}, "Every chapter needs a position; none was given for"),
        ({"One": 1, "Two": 2, "Three": 7}, "position 7 is out of range; use 1 to 3"),
        ({"One": 1, "Two": 1, "Three": 1}, "No chapter was given position 2, 3"),
    ],
)
def test_reorder_refuses_positions_that_are_not_1_to_n(work, given, message):
    work = three_chapters(work)
    ids = {title or "One": pk for pk, title in work.chapters.values_list("pk", "title")}
    with pytest.raises(services.PositionsError) as exc:
        services.chapters_reorder(work=work, positions={ids[t]: p for t, p in given.items()})
    assert any(message in m for m in exc.value.messages), exc.value.messages
    assert positions(work) == [("", 1), ("Two", 2), ("Three", 3)]


def test_deleting_a_chapter_renumbers_and_recounts(work):
    work = three_chapters(work)
    assert work.complete
    services.chapter_delete(chapter=work.chapters.get(title="Three"))
    work = fresh(work)
    assert positions(work) == [("", 1), ("Two", 2)]
    # The newest posted chapter is now Two (day 1); 3 were expected: 2/3, in progress.
    assert (work.chapter_count, work.word_count, work.updated) == (2, 8, day(1))
    assert work.chapters_display == "2/3" and not work.complete
    services.chapter_delete(chapter=work.chapters.get(position=1))
    assert positions(work) == [("Two", 1)]


def test_the_only_chapter_cannot_be_deleted(work):
    with pytest.raises(ValidationError) as exc:
        services.chapter_delete(chapter=work.chapters.get())
    assert "only chapter" in exc.value.messages[0]
    assert work.chapters.count() == 1


def test_the_only_posted_chapter_of_a_posted_work_cannot_be_deleted(work):
    services.chapter_add(work=work, content=content(), post=False)
    with pytest.raises(ValidationError) as exc:
        services.chapter_delete(chapter=work.chapters.get(position=1))
    assert "only posted chapter" in exc.value.messages[0]
    assert work.chapters.count() == 2


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_reorder_accepts_exactly_the_permutations_of_1_to_n(work, data):
    if work.chapters.count() == 1:
        three_chapters(work)
        services.chapter_add(work=work, content=content(title="Four"), today=day(4))
    chapters = list(work.chapters.order_by("position"))
    n = len(chapters)
    numbers = data.draw(st.lists(st.integers(min_value=0, max_value=n + 1), min_size=n, max_size=n))
    before = positions(work)
    mapping = {c.pk: p for c, p in zip(chapters, numbers, strict=True)}
    if sorted(numbers) == list(range(1, n + 1)):
        services.chapters_reorder(work=work, positions=mapping)
        assert {c.pk: c.position for c in work.chapters.all()} == mapping
    else:
        with pytest.raises(services.PositionsError):
            services.chapters_reorder(work=work, positions=mapping)
        assert positions(work) == before
    assert fresh(work).chapter_count == n


# --- Services: scheduling ----------------------------------------------------------------------


def test_a_scheduled_chapter_is_posted_when_due(work):
    from django_tasks import default_task_backend

    when = timezone.now() + datetime.timedelta(days=3)
    chapter = services.chapter_add(work=work, content=content(), publish_at=when)
    assert not chapter.posted and chapter.publish_at == when
    assert fresh(work).chapter_count == 1
    # A task was queued for that time (the dummy backend records it).
    queued = [
        r for r in default_task_backend.results if r.task.func.__name__ == "post_due_chapters"
    ]
    assert [r.task.run_after for r in queued] == [when]
    assert services.chapters_post_due(now=when - datetime.timedelta(seconds=1)) == []
    assert services.chapters_post_due(now=when) == [chapter.pk]
    assert services.chapters_post_due(now=when) == []  # idempotent
    chapter.refresh_from_db()
    work = fresh(work)
    assert chapter.posted and chapter.publish_at is None
    assert chapter.published == timezone.localdate(when)
    assert work.chapter_count == 2 and work.updated == timezone.localdate(when)


def test_the_post_due_command_and_task_post_due_chapters(work):
    from fanarchive.works.services import works_post_due

    past = timezone.now() - datetime.timedelta(minutes=1)
    due = services.chapter_add(work=work, content=content(), post=False)
    Chapter.objects.filter(pk=due.pk).update(publish_at=past)  # its time came while "down"
    out = StringIO()
    call_command("works", "post-due", stdout=out)
    assert "and 1 scheduled chapter(s)" in out.getvalue()
    assert Chapter.objects.get(pk=due.pk).posted
    assert works_post_due() == ([], [])  # nothing twice
    later = services.chapter_add(
        work=work, content=content(), publish_at=timezone.now() + datetime.timedelta(hours=1)
    )
    Chapter.objects.filter(pk=later.pk).update(publish_at=past)
    assert services.post_due_chapters.call() == 1
    assert Chapter.objects.get(pk=later.pk).posted


def test_a_schedule_must_be_in_the_future(work):
    with pytest.raises(ValidationError) as exc:
        services.chapter_add(
            work=work, content=content(), publish_at=timezone.now() - datetime.timedelta(hours=1)
        )
    assert "future" in exc.value.message_dict["publish_at"][0]
    assert work.chapters.count() == 1


# --- Pages: who may use them -------------------------------------------------------------------


def chapter_urls(work):
    chapter = work.chapters.get(position=1)
    return {
        "new": f"/works/{work.pk}/chapters/new",
        "edit": f"/works/{work.pk}/chapters/{chapter.pk}/edit",
        "delete": f"/works/{work.pk}/chapters/{chapter.pk}/delete",
        "manage": f"/works/{work.pk}/chapters/manage",
        "post": f"/works/{work.pk}/chapters/{chapter.pk}/post",
    }


@pytest.mark.parametrize("page", ["new", "edit", "delete", "manage"])
def test_creator_opens_the_chapter_pages(writer_client, work, page):
    response = writer_client.get(chapter_urls(work)[page])
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


@pytest.mark.parametrize("page", ["new", "edit", "delete", "manage", "post"])
def test_other_readers_and_guests_are_refused(client, work, page):
    url = chapter_urls(work)[page]
    before = list(Chapter.objects.values_list("pk", "position", "text"))
    other = Client()
    other.force_login(UserFactory(username="thenardier"))
    assert other.get(url).status_code == (405 if page == "post" else 403)
    assert (
        other.post(url, {"text": "Mine now", "action": "post", "text_format": "plain"}).status_code
        == 403
    )
    response = client.post(url, {"text": "Mine now", "action": "post", "text_format": "plain"})
    assert response.status_code == 302
    assert response["Location"].startswith("/users/login?next=")
    assert list(Chapter.objects.values_list("pk", "position", "text")) == before


def test_chapter_pages_of_works_others_may_not_see_are_not_found(writer, work):
    work.posted = False
    work.save()
    other = Client()
    other.force_login(UserFactory(username="javert"))
    for page, url in chapter_urls(work).items():
        if page != "post":  # a POST-only address answers GET with 405, whoever asks
            assert other.get(url).status_code == 404
        assert other.post(url).status_code == 404


def test_forms_refuse_posts_without_the_csrf_token(writer, work):
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    urls = chapter_urls(work)
    data = {"text": "Sneaky", "text_format": "plain", "action": "post"}
    for url in (urls["new"], urls["edit"], urls["manage"], urls["post"]):
        assert client.post(url, data).status_code == 403
    assert client.post(urls["delete"]).status_code == 403
    assert work.chapters.count() == 1
    assert "Sneaky" not in work.chapters.get().text


# --- Pages: adding, editing, posting, deleting -------------------------------------------------


def new_chapter(client, work, **data):
    values = {
        "title": "The Bishop",
        "position": "",
        "expected_chapters": "",
        "summary": "",
        "notes": "",
        "end_notes": "",
        "text_format": "plain",
        "text": "He was a good man.",
        "publish_at": "",
        "action": "post",
    }
    values.update(data)
    return client.post(f"/works/{work.pk}/chapters/new", values)


def test_the_new_chapter_form_prefills_chapter_number_and_expected_total(writer_client, work):
    page = writer_client.get(f"/works/{work.pk}/chapters/new").content.decode()
    # A complete 1/1 work: AO3 proposes 2 expected chapters, so it stays complete at 2/2.
    assert re.search(r'name="expected_chapters"[^>]*value="2"', page)
    assert re.search(r'name="position"[^>]*value="2"', page)


def test_posting_a_new_chapter_shows_it(writer_client, work):
    response = new_chapter(writer_client, work, expected_chapters="2", summary="<p>Sum</p>")
    chapter = work.chapters.get(position=2)
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}/chapters/{chapter.pk}"
    page = writer_client.get(response["Location"]).content.decode()
    assert "Chapter has been posted!" in page
    assert "He was a good man." in page and "The Bishop" in page
    work = fresh(work)
    assert work.chapters_display == "2/2" and work.complete
    assert work.updated == timezone.localdate()


def test_a_draft_chapter_from_the_form_is_shown_to_its_creator_only(writer_client, client, work):
    response = new_chapter(writer_client, work, action="draft", title="Secret")
    chapter = work.chapters.get(position=2)
    assert not chapter.posted
    page = writer_client.get(response["Location"]).content.decode()
    assert "Draft chapter" in page
    assert f"/works/{work.pk}/chapters/{chapter.pk}/edit" in page
    assert client.get(f"/works/{work.pk}/chapters/{chapter.pk}").status_code == 404
    assert "Secret" not in client.get(f"/works/{work.pk}/navigate").content.decode()
    # Posting it from the chapter page's button.
    response = writer_client.post(f"/works/{work.pk}/chapters/{chapter.pk}/post")
    assert response.status_code == 302
    assert client.get(f"/works/{work.pk}/chapters/{chapter.pk}").status_code == 200
    assert fresh(work).chapter_count == 2


def test_scheduling_from_the_form(writer_client, work):
    when = (timezone.localtime() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    response = new_chapter(
        writer_client, work, action="schedule", publish_at=when.strftime("%Y-%m-%dT%H:%M")
    )
    assert response.status_code == 302
    chapter = work.chapters.get(position=2)
    assert not chapter.posted and chapter.publish_at == when
    page = writer_client.get(response["Location"]).content.decode()
    assert "scheduled" in page


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"text": ""}, "Chapter text: a chapter needs some text."),
        ({"expected_chapters": "lots"}, "as a whole number, or ? if you don"),
        ({"expected_chapters": "0"}, "must be at least 1"),
        ({"position": "5"}, "between 1 and 2"),
        ({"position": "two"}, "The chapter number must be a whole number."),
        ({"action": "schedule"}, "Post at: choose when to post the chapter."),
        ({"action": "schedule", "publish_at": "tomorrow"}, "Post at: enter a date and time"),
        (
            {"action": "schedule", "publish_at": "2001-01-01T10:00"},
            "the time must be in the future",
        ),
        ({"summary": "x" * 1251}, "at most 1250 characters"),
    ],
)
def test_bad_chapter_input_is_named_and_nothing_is_stored(writer_client, work, data, field_message):
    response = new_chapter(writer_client, work, **data)
    assert response.status_code == 400
    assert field_message in response.content.decode().replace("&#x27;", "'")
    assert work.chapters.count() == 1


def test_editing_a_chapter(writer_client, client, work):
    work = three_chapters(work)
    second = work.chapters.get(position=2)
    url = f"/works/{work.pk}/chapters/{second.pk}/edit"
    page = writer_client.get(url).content.decode()
    assert "Update" in page and 'value="post"' not in page  # a posted chapter stays posted
    response = writer_client.post(
        url,
        {
            "title": "Fantine <3",
            "position": "3",
            "expected_chapters": "?",
            "text_format": "html",
            "text": "<p>Much <em>shorter</em> now</p>",
            "action": "update",
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.title == "Fantine <3" and second.position == 3
    assert second.text == "<p>Much <em>shorter</em> now</p>"
    work = fresh(work)
    assert work.word_count == 4 + 4 + 3 and work.chapters_display == "3/?"
    assert work.updated == day(2)
    page = client.get(f"/works/{work.pk}/chapters/{second.pk}").content.decode()
    assert "Fantine &lt;3" in page and "Fantine <3" not in page


def test_deleting_a_chapter_asks_first(writer_client, work):
    work = three_chapters(work)
    third = work.chapters.get(position=3)
    url = f"/works/{work.pk}/chapters/{third.pk}/delete"
    page = writer_client.get(url).content.decode()
    assert "Are you sure" in page and third.pk in work.chapters.values_list("pk", flat=True)
    response = writer_client.post(url)
    assert response.status_code == 302 and response["Location"] == f"/works/{work.pk}"
    assert not Chapter.objects.filter(pk=third.pk).exists()
    assert fresh(work).chapter_count == 2
    assert "successfully deleted" in writer_client.get(f"/works/{work.pk}").content.decode()


def test_deleting_the_last_chapter_is_refused_with_a_message(writer_client, work):
    only = work.chapters.get()
    url = f"/works/{work.pk}/chapters/{only.pk}/delete"
    assert "delete the work" in writer_client.get(url).content.decode()
    response = writer_client.post(url)
    assert response.status_code == 400
    assert "You can&#x27;t delete the only chapter" in response.content.decode()
    assert Chapter.objects.filter(pk=only.pk).exists()


# --- Pages: reordering -------------------------------------------------------------------------


def reorder(client, work, **by_title):
    data = {}
    for pk, title in work.chapters.values_list("pk", "title"):
        data[f"position_{pk}"] = by_title.get(title or "One", "")
    return client.post(f"/works/{work.pk}/chapters/manage", data)


def test_reorder_page_is_a_form_of_labelled_number_boxes(writer_client, work):
    work = three_chapters(work)
    page = writer_client.get(f"/works/{work.pk}/chapters/manage").content.decode()
    for chapter in work.chapters.all():
        box = f'id="id_position_{chapter.pk}"'
        assert box in page and f'for="id_position_{chapter.pk}"' in page
        assert re.search(
            rf'type="number" name="position_{chapter.pk}" value="{chapter.position}"', page
        )


def test_reordering_from_the_manage_page(writer_client, work):
    work = three_chapters(work)
    response = reorder(writer_client, work, One="3", Two="1", Three="2")
    assert response.status_code == 302
    assert positions(work) == [("Two", 1), ("Three", 2), ("", 3)]
    page = writer_client.get(response["Location"]).content.decode()
    assert "Chapter order has been successfully updated." in page


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"One": "1", "Two": "1", "Three": "2"}, "Position 1 is given to more than one chapter"),
        (
            {"One": "1", "Two": "2", "Three": ""},
            "Chapter 3: Three: give it a position from 1 to 3.",
        ),
        ({"One": "1", "Two": "2", "Three": "x"}, "Chapter 3: Three: the position must be a whole"),
        ({"One": "1", "Two": "2", "Three": "4"}, "position 4 is out of range; use 1 to 3."),
    ],
)
def test_bad_positions_give_a_clear_message(writer_client, work, given, message):
    work = three_chapters(work)
    response = reorder(writer_client, work, **given)
    assert response.status_code == 400
    body = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert message in body, body
    assert positions(work) == [("", 1), ("Two", 2), ("Three", 3)]


# --- The archive sees it -----------------------------------------------------------------------


def test_a_new_chapter_moves_the_work_to_the_top_of_its_tag_page(writer_client, writer):
    fluff = TagFactory(name="Fluff")
    older = WorkFactory(
        title="Older work", creator=writer.pseuds.get(), tags=[fluff], published=day(1)
    )
    WorkFactory(title="Newer work", tags=[fluff], published=day(30))
    titles = re.compile(r'<h2 class="blurb-title"><a href="/works/\d+">([^<]*)</a>')
    reader = Client()
    assert titles.findall(reader.get("/tags/Fluff/works").content.decode()) == [
        "Newer work",
        "Older work",
    ]
    assert new_chapter(writer_client, older).status_code == 302
    page = reader.get("/tags/Fluff/works").content.decode()
    assert titles.findall(page) == ["Older work", "Newer work"]
    assert timezone.localdate().strftime("%d %b %Y") in page
    assert fresh(older).word_count == 11 + 5  # the factory's sentence and the new one


def test_guests_asking_for_a_restricted_works_chapter_pages_are_sent_to_log_in(client, work):
    work.restricted = True
    work.save()
    for url in chapter_urls(work).values():
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/users/login?next=")


def test_chapters_of_a_draft_work_wait_for_the_work(writer_client, client, work):
    from fanarchive.works.services import work_publish

    Work.objects.filter(pk=work.pk).update(posted=False)
    response = new_chapter(writer_client, fresh(work), title="Second")
    assert response.status_code == 302
    page = writer_client.get(response["Location"]).content.decode()
    assert "The work is still a draft" in page
    assert client.get(f"/works/{work.pk}").status_code == 404
    work_publish(work=fresh(work))
    work = fresh(work)
    assert work.posted and work.chapter_count == 2
    assert "Second" in client.get(f"/works/{work.pk}/navigate").content.decode()
