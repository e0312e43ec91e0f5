"""Leaving a comment on a chapter: who may, where, and what is stored and shown."""

import pytest
from django.test import Client

from fanarchive.accounts.tests.factories import PseudFactory
from fanarchive.comments.models import COMMENT_MAX, Comment
from fanarchive.inbox.models import InboxItem
from fanarchive.social.models import Block
from fanarchive.works.models import WorkStats
from fanarchive.works.tests.factories import WorkFactory

from .conftest import add_chapter, logged_in, old_account, post_comment

pytestmark = pytest.mark.django_db


def count_of(work):
    return WorkStats.objects.get(work=work).comments


def test_a_reader_comments_on_a_chapter(reader_client, reader, work, chapter):
    response = post_comment(reader_client, work, chapter, "I *loved* the barricade.")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}#comment_{comment.pk}"
    assert comment.chapter == chapter and comment.work == work
    assert comment.user == reader and comment.pseud == reader.pseuds.get(is_default=True)
    assert comment.thread_id == comment.pk and comment.parent is None
    assert comment.content == "<p>I *loved* the barricade.</p>"
    assert count_of(work) == 1
    page = Client().get(f"/works/{work.pk}")
    assert "I *loved* the barricade." in page.text
    assert f'id="comment_{comment.pk}"' in page.text
    assert "Comments (1)" in page.text
    assert ">cosette</a>" in page.text


def test_the_creator_is_notified_with_an_excerpt_and_the_permalink(reader_client, work, chapter):
    post_comment(reader_client, work, chapter, "<p>Javert on the <em>bridge</em>!</p>")
    comment = Comment.objects.get()
    item = InboxItem.objects.get()
    assert item.user.username == "hugo" and item.kind == "comment"
    assert item.text == "Javert on the bridge!"
    assert item.url == f"/comments/{comment.pk}"
    assert "Les Misérables" in item.subject and "cosette" in item.subject


def test_nobody_is_notified_of_their_own_comment(writer_client, work, chapter):
    assert post_comment(writer_client, work, chapter).status_code == 302
    assert Comment.objects.count() == 1
    assert not InboxItem.objects.exists()


def test_comment_as_another_own_pseud_but_not_someone_elses(reader_client, reader, work, chapter):
    mine = PseudFactory(user=reader, name="Euphrasie")
    theirs = PseudFactory(name="Not mine")
    post_comment(reader_client, work, chapter, pseud=str(mine.pk))
    assert Comment.objects.get().pseud == mine
    response = post_comment(reader_client, work, chapter, pseud=str(theirs.pk))
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert Comment.objects.count() == 1


def test_a_guest_comments_with_name_and_email_never_shown(work, chapter):
    guest = Client()
    response = post_comment(guest, work, chapter, "Lovely.", name="Gavroche", email="g@example.org")
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.user is None and comment.guest_name == "Gavroche"
    assert comment.guest_email == "g@example.org"
    for page in (guest.get(f"/works/{work.pk}"), guest.get(f"/comments/{comment.pk}")):
        assert "Gavroche (Guest)" in page.text
        assert "g@example.org" not in page.text
    assert count_of(work) == 1


def test_a_guest_name_with_line_breaks_is_kept_on_one_line(
    work, chapter, django_capture_on_commit_callbacks
):
    # The creator's notice (inbox and email subject) is built from the name: a line break in it
    # must neither fail the guest's request nor reach an email header.
    guest = Client(raise_request_exception=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(
            guest, work, chapter, "Lovely.", name="Gav\r\nBcc: x@evil.example", email="g@ex.org"
        )
    assert response.status_code == 302
    assert Comment.objects.get().guest_name == "Gav Bcc: x@evil.example"
    notice = InboxItem.objects.get(user=work.creatorships.get().pseud.user)
    assert "\n" not in notice.subject and "Gav Bcc" in notice.subject


def test_a_guest_must_give_name_and_a_valid_email(work, chapter):
    response = post_comment(Client(), work, chapter, "Hi", name="", email="not-an-address")
    assert response.status_code == 400
    assert "Guest name" in response.text and "This field is required." in response.text
    assert "Enter a valid email address." in response.text
    assert not Comment.objects.exists()


def test_the_work_page_has_a_guest_form_where_guests_may_comment(work):
    page = Client().get(f"/works/{work.pk}")
    assert 'name="name"' in page.text and 'name="email"' in page.text
    assert f'action="/works/{work.pk}/chapters/' in page.text


def test_registered_only_refuses_guests(work, chapter, reader_client):
    work.comment_permission = "registered"
    work.save()
    guest = Client()
    response = post_comment(guest, work, chapter, name="Gavroche", email="g@example.org")
    assert response.status_code == 403
    assert "allow non-Archive users to comment" in response.text
    assert not Comment.objects.exists()
    page = guest.get(f"/works/{work.pk}")
    assert "allow non-Archive users to comment" in page.text
    assert 'class="stacked-form comment-form"' not in page.text
    assert post_comment(reader_client, work, chapter).status_code == 302
    assert Comment.objects.count() == 1


def test_nobody_may_comment_when_comments_are_off(work, chapter, reader_client, writer_client):
    work.comment_permission = "nobody"
    work.save()
    for client in (reader_client, writer_client, Client()):
        response = post_comment(client, work, chapter, name="G", email="g@example.org")
        assert response.status_code == 403
        assert "allow comments" in response.text
    assert not Comment.objects.exists()
    assert "allow comments" in reader_client.get(f"/works/{work.pk}").text


def test_a_blocked_account_cannot_comment_or_reply(work, chapter, writer, reader, reader_client):
    other_client = logged_in(old_account("eponine"))
    post_comment(other_client, work, chapter)
    comment = Comment.objects.get()
    Block.objects.create(blocker=writer, blocked=reader)
    response = post_comment(reader_client, work, chapter)
    assert response.status_code == 403
    assert "blocked" in response.text
    response = reader_client.post(f"/comments/{comment.pk}/reply", {"content": "Hm."})
    assert response.status_code == 403
    assert Comment.objects.count() == 1
    page = reader_client.get(f"/works/{work.pk}")
    assert "blocked" in page.text and f"/comments/{comment.pk}/reply" not in page.text
    # Blocks are per blocker: the same account comments on someone else's work.
    elsewhere = WorkFactory()
    assert post_comment(reader_client, elsewhere, elsewhere.chapters.get()).status_code == 302


def test_comments_on_drafts_are_refused(writer_client, reader_client, work, chapter):
    work.posted = False
    work.save()
    response = post_comment(writer_client, work, chapter)
    assert response.status_code == 403
    assert "draft" in response.text
    assert post_comment(reader_client, work, chapter).status_code == 404
    assert not Comment.objects.exists()


def test_comments_on_draft_chapters_are_refused(writer_client, reader_client, work):
    draft = add_chapter(work, "Unfinished", posted=False)
    assert post_comment(writer_client, work, draft).status_code == 403
    assert post_comment(reader_client, work, draft).status_code == 404
    assert not Comment.objects.exists()


def test_restricted_and_hidden_works_go_through_the_gate(work, chapter, reader_client):
    work.restricted = True
    work.save()
    response = post_comment(Client(), work, chapter, name="G", email="g@example.org")
    assert response.status_code == 403
    assert "registered users" in response.text
    assert post_comment(reader_client, work, chapter).status_code == 302
    work.hidden_by_admin = True
    work.save()
    assert post_comment(reader_client, work, chapter).status_code == 404
    assert Comment.objects.count() == 1


def test_a_chapter_of_another_work_or_none_is_404(reader_client, work):
    elsewhere = WorkFactory()
    assert post_comment(reader_client, work, elsewhere.chapters.get()).status_code == 404
    assert reader_client.post(f"/works/{work.pk}/chapters/999999/comments").status_code == 404
    assert reader_client.post("/works/999999/chapters/1/comments").status_code == 404


def test_hostile_html_is_sanitized(reader_client, work, chapter):
    hostile = (
        '<p onclick="steal()">Hi <a href="javascript:alert(1)">there</a>'
        '<script>alert("x")</script><img src="x" onerror="alert(2)"></p>'
        '<iframe src="https://evil.example/"></iframe><style>body{}</style>'
    )
    assert post_comment(reader_client, work, chapter, hostile).status_code == 302
    stored = Comment.objects.get().content
    for bad in ("onclick", "javascript:", "<script", "onerror", "evil.example", "<style"):
        assert bad not in stored
    assert "Hi" in stored and "there" in stored
    page = Client().get(f"/works/{work.pk}")
    assert "steal()" not in page.text and 'alert("x")' not in page.text


def test_too_long_is_refused_with_a_field_message(reader_client, work, chapter):
    response = post_comment(reader_client, work, chapter, "a" * (COMMENT_MAX + 1))
    assert response.status_code == 400
    assert "Comment must be at most 10,000 characters long (it is 10,001" in response.text
    assert not Comment.objects.exists()
    assert post_comment(reader_client, work, chapter, "a" * COMMENT_MAX).status_code == 302


@pytest.mark.parametrize("text", ["", "   \n\n  ", "<script>alert(1)</script>", "<p> </p>"])
def test_empty_is_refused(reader_client, work, chapter, text):
    response = post_comment(reader_client, work, chapter, text)
    assert response.status_code == 400
    assert "Comment can&#x27;t be blank." in response.text
    assert not Comment.objects.exists()


def test_a_nul_character_is_a_field_message_not_a_crash(reader_client, work, chapter):
    response = post_comment(reader_client, work, chapter, "Hi\x00there")
    assert response.status_code == 400
    assert "Null characters are not allowed." in response.text


def test_csrf_is_required(reader, work, chapter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert post_comment(client, work, chapter).status_code == 403
    assert not Comment.objects.exists()
    # With the token from the work page's form it goes through.
    page = client.get(f"/works/{work.pk}")
    token = page.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = post_comment(client, work, chapter, csrfmiddlewaretoken=token)
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_the_new_comment_page_shows_the_form(reader_client, work, chapter):
    page = reader_client.get(f"/works/{work.pk}/chapters/{chapter.pk}/comments")
    assert page.status_code == 200
    assert '<textarea name="content"' in page.text


def test_the_creator_is_emailed_after_commit(
    reader_client, work, chapter, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(reader_client, work, chapter, "An emailed comment.")
    assert [m.to for m in mailoutbox] == [["hugo@example.org"]]
    assert "An emailed comment." in mailoutbox[0].body
    assert f"/comments/{Comment.objects.get().pk}" in mailoutbox[0].body
