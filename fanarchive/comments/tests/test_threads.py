"""Threads: replies, permalinks, edit, delete with placeholders, freezing, muted commenters."""

import datetime
import html

import pytest
from django.test import Client

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.comments.models import Comment
from fanarchive.inbox.models import InboxItem
from fanarchive.search.models import ExcludedCreator
from fanarchive.works.chapters import chapter_delete
from fanarchive.works.models import Chapter, WorkStats

from .conftest import add_chapter, logged_in, old_account, post_comment, post_reply

pytestmark = pytest.mark.django_db


def count_of(work):
    return WorkStats.objects.get(work=work).comments


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def top(reader_client, work, chapter):
    post_comment(reader_client, work, chapter, "The first comment.")
    return Comment.objects.get()


def test_a_reply_is_threaded_under_its_parent(top, other_client, work):
    response = post_reply(other_client, top, "A reply.")
    reply = Comment.objects.get(parent=top)
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}#comment_{reply.pk}"
    assert reply.thread_id == top.pk and reply.chapter_id == top.chapter_id
    post_reply(logged_in(old_account("enjolras")), reply, "Deeper.")
    deeper = Comment.objects.get(parent=reply)
    assert deeper.thread_id == top.pk
    page = Client().get(f"/works/{work.pk}").text
    # Nested lists: the reply's <li> sits inside the parent's, the deeper one inside the reply's.
    first = page.index(f'id="comment_{top.pk}"')
    second = page.index(f'id="comment_{reply.pk}"')
    third = page.index(f'id="comment_{deeper.pk}"')
    assert first < second < third
    assert page[first:second].count('<ol class="thread">') == 1
    assert page[second:third].count('<ol class="thread">') == 1
    assert "Comments (3)" in page
    assert count_of(work) == 3


def test_a_reply_notifies_the_parent_author_and_the_creators_once(top, other_client, reader):
    InboxItem.objects.all().delete()
    post_reply(other_client, top, "Replying to you.")
    reply = Comment.objects.get(parent=top)
    items = {(i.user.username, i.kind) for i in InboxItem.objects.all()}
    assert items == {("cosette", "reply"), ("hugo", "comment")}
    item = InboxItem.objects.get(user=reader)
    assert item.url == f"/comments/{reply.pk}" and item.text == "Replying to you."


def test_the_creator_replying_gets_no_notice_and_the_author_gets_one(top, writer_client):
    InboxItem.objects.all().delete()
    post_reply(writer_client, top, "Thanks!")
    assert [(i.user.username, i.kind) for i in InboxItem.objects.all()] == [("cosette", "reply")]


def test_replying_to_yourself_notifies_only_the_creator(top, reader_client):
    InboxItem.objects.all().delete()
    post_reply(reader_client, top, "And another thing.")
    assert [(i.user.username, i.kind) for i in InboxItem.objects.all()] == [("hugo", "comment")]


def test_a_reply_by_a_guest_and_the_reply_page(top, work):
    guest = Client()
    page = guest.get(f"/comments/{top.pk}/reply")
    assert page.status_code == 200
    assert "The first comment." in page.text and 'name="email"' in page.text
    response = post_reply(guest, top, "Me too", name="Azelma", email="a@example.org")
    assert response.status_code == 302
    assert Comment.objects.get(parent=top).guest_name == "Azelma"


def test_the_permalink_shows_the_comment_and_its_thread_only(top, other_client, work, chapter):
    post_reply(other_client, top, "Under the first.")
    post_comment(other_client, work, chapter, "A separate thread.")
    page = Client().get(f"/comments/{top.pk}")
    assert page.status_code == 200
    assert "The first comment." in page.text and "Under the first." in page.text
    assert "A separate thread." not in page.text
    reply = Comment.objects.get(parent=top)
    page = Client().get(f"/comments/{reply.pk}")
    assert "Under the first." in page.text and "The first comment." not in page.text
    assert f'href="/comments/{top.pk}"' in page.text  # the parent thread link
    assert Client().get("/comments/999999").status_code == 404


def test_the_permalink_of_a_comment_on_a_restricted_work_asks_guests_to_log_in(top, work):
    work.restricted = True
    work.save()
    assert Client().get(f"/comments/{top.pk}").status_code == 403
    work.restricted = False
    work.posted = False
    work.save()
    assert Client().get(f"/comments/{top.pk}").status_code == 404


def test_one_chapter_shows_its_comments_and_the_entire_work_all(reader_client, work, chapter):
    second = add_chapter(work, "Second")
    post_comment(reader_client, work, chapter, "On the first chapter.")
    response = post_comment(reader_client, work, second, "On the second chapter.")
    on_second = Comment.objects.get(chapter=second)
    assert response["Location"] == f"/works/{work.pk}/chapters/{second.pk}#comment_{on_second.pk}"
    one = Client().get(f"/works/{work.pk}/chapters/{second.pk}").text
    assert "On the second chapter." in one and "On the first chapter." not in one
    assert "Post comment on Chapter 2" in one
    full = Client().get(f"/works/{work.pk}?view_full_work=true").text
    assert "On the second chapter." in full and "On the first chapter." in full
    assert "on Chapter 1" in full and "on Chapter 2" in full
    assert f'action="/works/{work.pk}/chapters/{second.pk}/comments"' in full


def test_the_author_edits_and_it_is_marked_last_edited(top, reader_client, work):
    page = reader_client.get(f"/comments/{top.pk}/edit")
    assert page.status_code == 200 and "The first comment." in page.text
    response = reader_client.post(f"/comments/{top.pk}/edit", {"content": "Edited <b>text</b>"})
    assert response.status_code == 302
    top.refresh_from_db()
    assert top.content == "<p>Edited <b>text</b></p>" and top.edited_at is not None
    assert "Last Edited" in Client().get(f"/works/{work.pk}").text
    assert count_of(work) == 1


def test_only_the_author_edits(top, writer_client, other_client):
    for client in (writer_client, other_client, Client()):
        response = client.post(f"/comments/{top.pk}/edit", {"content": "Hijacked"})
        assert response.status_code == 403
    top.refresh_from_db()
    assert top.content == "<p>The first comment.</p>"


def test_an_edit_is_checked_like_a_new_comment(top, reader_client):
    response = reader_client.post(f"/comments/{top.pk}/edit", {"content": "a" * 10_001})
    assert response.status_code == 400 and "at most 10,000 characters" in response.text
    response = reader_client.post(f"/comments/{top.pk}/edit", {"content": "<script>x</script>"})
    assert response.status_code == 400 and "blank" in response.text
    top.refresh_from_db()
    assert top.content == "<p>The first comment.</p>" and top.edited_at is None


def test_deleting_without_replies_removes_it(top, reader_client, work):
    page = reader_client.get(f"/comments/{top.pk}/delete")
    assert page.status_code == 200 and "Yes, delete the comment" in page.text
    assert Comment.objects.filter(pk=top.pk).exists()  # GET only asks
    response = reader_client.post(f"/comments/{top.pk}/delete")
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert count_of(work) == 0


def test_deleting_with_replies_leaves_a_placeholder_and_the_replies(top, other_client, work):
    post_reply(other_client, top, "I stay.")
    reader_client = logged_in(top.user)
    reader_client.post(f"/comments/{top.pk}/delete")
    top.refresh_from_db()
    assert top.deleted and top.content == ""
    page = Client().get(f"/works/{work.pk}").text
    assert "(Previous comment deleted.)" in page and "I stay." in page
    assert "The first comment." not in page
    assert page.index("(Previous comment deleted.)") < page.index("I stay.")
    assert "Comments (1)" in page
    assert count_of(work) == 1
    # A placeholder can't be replied to, edited or deleted again.
    assert post_reply(other_client, top).status_code == 403
    assert reader_client.post(f"/comments/{top.pk}/delete").status_code == 403
    assert count_of(work) == 1
    # When its last reply goes, the placeholder goes too.
    reply = Comment.objects.get(parent=top)
    other_client.post(f"/comments/{reply.pk}/delete")
    assert not Comment.objects.exists()
    assert count_of(work) == 0


def test_who_may_delete(top, writer_client, other_client, work, chapter):
    assert other_client.post(f"/comments/{top.pk}/delete").status_code == 403
    assert Client().post(f"/comments/{top.pk}/delete").status_code == 403
    assert writer_client.post(f"/comments/{top.pk}/delete").status_code == 302  # the creator
    assert not Comment.objects.exists()
    post_comment(other_client, work, chapter)
    staff = logged_in(UserFactory(username="admin", is_staff=True))
    assert staff.post(f"/comments/{Comment.objects.get().pk}/delete").status_code == 302
    assert not Comment.objects.exists()
    assert count_of(work) == 0


def test_freezing_a_thread_stops_replies_until_unfrozen(top, other_client, writer_client, work):
    post_reply(other_client, top, "Before the freeze.")
    reply = Comment.objects.get(parent=top)
    assert writer_client.get(f"/comments/{top.pk}/freeze").status_code == 405
    assert writer_client.post(f"/comments/{top.pk}/freeze").status_code == 302
    assert set(Comment.objects.values_list("frozen", flat=True)) == {True}
    for parent in (top, reply):
        response = post_reply(other_client, parent, "After.")
        assert response.status_code == 403 and "frozen" in response.text
    page = other_client.get(f"/works/{work.pk}").text
    assert "Frozen" in page and f"/comments/{top.pk}/reply" not in page
    # The author can't edit a frozen comment; it can still be deleted.
    assert logged_in(top.user).post(f"/comments/{top.pk}/edit", {"content": "x"}).status_code == 403
    assert writer_client.post(f"/comments/{top.pk}/unfreeze").status_code == 302
    assert set(Comment.objects.values_list("frozen", flat=True)) == {False}
    assert post_reply(other_client, reply, "After the thaw.").status_code == 302


def test_freezing_a_reply_leaves_the_rest_of_the_thread_open(top, other_client, writer_client):
    post_reply(other_client, top, "Reply.")
    reply = Comment.objects.get(parent=top)
    writer_client.post(f"/comments/{reply.pk}/freeze")
    assert Comment.objects.get(pk=top.pk).frozen is False
    assert post_reply(other_client, top, "Still open above.").status_code == 302
    assert post_reply(other_client, reply, "Not here.").status_code == 403


def test_only_creators_and_staff_freeze(top, reader_client, other_client):
    for client in (reader_client, other_client, Client()):
        assert client.post(f"/comments/{top.pk}/freeze").status_code == 403
    assert not Comment.objects.get(pk=top.pk).frozen
    staff = logged_in(UserFactory(username="admin", is_staff=True))
    assert staff.post(f"/comments/{top.pk}/freeze").status_code == 302
    assert Comment.objects.get(pk=top.pk).frozen


def test_a_muted_commenter_is_hidden_from_that_reader_only(top, other, other_client, work):
    post_reply(logged_in(old_account("enjolras")), top, "A reply to the muted one.")
    ExcludedCreator.objects.create(user=other, creator=top.user)
    mine = other_client.get(f"/works/{work.pk}").text
    assert "The first comment." not in mine and "A reply to the muted one." not in mine
    assert other_client.get(f"/comments/{top.pk}").status_code == 404
    everyone = Client().get(f"/works/{work.pk}").text
    assert "The first comment." in everyone and "A reply to the muted one." in everyone


def test_a_deleted_chapter_takes_its_comments_off_the_count(reader_client, work, chapter):
    second = add_chapter(work, "Second")
    post_comment(reader_client, work, chapter)
    post_comment(reader_client, work, second)
    post_comment(reader_client, work, second)
    assert count_of(work) == 3
    chapter_delete(chapter=second)
    assert count_of(work) == 1
    assert Comment.objects.count() == 1


def test_chapters_deleted_as_a_queryset_take_their_comments_off_the_count(
    reader_client, work, chapter
):
    # As works.services.work_replace (an import with --on-conflict replace) deletes a work's
    # chapters: one queryset delete, whose comments go with them.
    second = add_chapter(work, "Second")
    post_comment(reader_client, work, chapter)
    post_comment(reader_client, work, second)
    post_comment(reader_client, work, second)
    assert count_of(work) == 3
    Chapter.objects.filter(pk=second.pk).delete()
    assert count_of(work) == 1
    assert Comment.objects.count() == 1


def test_the_work_page_needs_no_extra_query_per_comment(
    reader_client, work, chapter, django_assert_max_num_queries
):
    for i in range(3):
        post_comment(reader_client, work, chapter, f"Comment {i}")
    client = Client()
    client.get(f"/works/{work.pk}")  # warm up (sessions, caches)
    with django_assert_max_num_queries(40) as few:
        client.get(f"/works/{work.pk}")
    for i in range(3, 12):
        Comment.objects.create(
            work=work, chapter=chapter, user=top_user(work), content=f"<p>C {i}</p>"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/works/{work.pk}")


def top_user(work):
    return Comment.objects.filter(work=work).first().user


def test_dates_are_shown(top, work):
    page = Client().get(f"/works/{work.pk}").text
    assert f'datetime="{top.created_at.astimezone(datetime.UTC).isoformat()[:19]}' in page


def test_edits_and_freezes_name_the_work_in_the_search_change_log(top, reader_client, work):
    # Kept guest pages (search/page_cache.py) are dropped for the works the change log names.
    from fanarchive.search.models import SearchChange

    SearchChange.objects.all().delete()
    reader_client.post(f"/comments/{top.pk}/edit", {"content": "Changed."})
    assert SearchChange.objects.filter(work_id=work.pk).exists()
    SearchChange.objects.all().delete()
    logged_in(work.creatorships.get().pseud.user).post(f"/comments/{top.pk}/freeze")
    assert SearchChange.objects.filter(work_id=work.pk).exists()


def test_an_import_replacing_a_work_keeps_the_comments_on_its_chapters(tmp_path):
    """`fanarchive import --on-conflict update` replaces a work chapter by chapter in place:
    readers' comments on the chapters that remain stay, with the count."""
    from contextlib import ExitStack

    from fanarchive.comments.models import Comment
    from fanarchive.comments.services import Commenter, comment_create
    from fanarchive.interchange.importer import WorkTextImporter
    from fanarchive.interchange.sources import iter_sources
    from fanarchive.works.models import Chapter, Work, WorkStats

    def import_text(text: str, **options) -> None:
        path = tmp_path / "7.txt"
        path.write_text(text, encoding="utf-8")
        with ExitStack() as stack:
            WorkTextImporter(**options).run(list(iter_sources([str(path)], stack)))

    head = "Title: Kept\nAuthor: hugo\nWork ID: 7\nChapters: 2/2\n\n"
    import_text(head + "Chapter 1\n\nOne.\n\nChapter 2\n\nTwo.\n")
    work = Work.objects.get(pk=7)
    first, second = Chapter.objects.filter(work=work).order_by("position")
    reader = UserFactory()
    for chapter, text in ((first, "<p>Lovely.</p>"), (second, "<p>Sad.</p>")):
        comment_create(
            work=work,
            chapter=chapter,
            author=reader,
            commenter=Commenter(pseud=reader.default_pseud()),
            content=text,
        )
    assert WorkStats.objects.get(work=work).comments == 2

    import_text(
        "Title: Kept (revised)\nAuthor: hugo\nWork ID: 7\nChapters: 1/1\n\nOne, revised.\n",
        on_conflict="update",
    )
    work.refresh_from_db()
    assert work.title == "Kept (revised)"
    (chapter,) = Chapter.objects.filter(work=work)
    assert chapter.pk == first.pk and "One, revised." in chapter.text
    assert list(Comment.objects.filter(work=work).values_list("chapter_id", flat=True)) == [
        first.pk
    ]
    assert WorkStats.objects.get(work=work).comments == 1  # the second chapter's went with it
