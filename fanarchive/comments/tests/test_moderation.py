"""Moderated works: new comments are held until a creator approves them."""

import pytest
from django.test import Client

from fanarchive.comments.models import Comment
from fanarchive.inbox.models import InboxItem
from fanarchive.works.models import WorkStats

from .conftest import logged_in, old_account, post_comment, post_reply

pytestmark = pytest.mark.django_db


def count_of(work):
    return WorkStats.objects.get(work=work).comments


@pytest.fixture
def moderated(work):
    work.moderated_comments = True
    work.save()
    return work


@pytest.fixture
def held(moderated, chapter, reader_client):
    response = post_comment(reader_client, moderated, chapter, "Please approve me.")
    assert response.status_code == 302
    return Comment.objects.get()


def test_a_new_comment_is_held_and_counts_nothing(held, moderated, reader_client, other_client):
    assert held.unreviewed
    assert count_of(moderated) == 0
    for client in (Client(), other_client):
        page = client.get(f"/works/{moderated.pk}").text
        assert "Please approve me." not in page
        assert client.get(f"/comments/{held.pk}").status_code == 404
    mine = reader_client.get(f"/works/{moderated.pk}").text
    assert "Please approve me." in mine and "awaiting approval" in mine


def test_the_creator_is_told_and_sees_it_on_the_review_page(held, moderated, writer_client):
    item = InboxItem.objects.get()
    assert item.user.username == "hugo" and "awaiting your approval" in item.subject
    page = writer_client.get(f"/works/{moderated.pk}").text
    assert "1 comment awaiting your approval" in page
    review = writer_client.get(f"/works/{moderated.pk}/comments/unreviewed")
    assert review.status_code == 200
    assert "Please approve me." in review.text and f"/comments/{held.pk}/approve" in review.text


def test_approving_makes_it_public_and_counted(held, moderated, writer_client):
    response = writer_client.post(f"/comments/{held.pk}/approve", {"next": "review"})
    assert response.status_code == 302
    assert response["Location"] == f"/works/{moderated.pk}/comments/unreviewed"
    held.refresh_from_db()
    assert not held.unreviewed
    assert count_of(moderated) == 1
    assert "Please approve me." in Client().get(f"/works/{moderated.pk}").text
    # Approving twice changes nothing.
    writer_client.post(f"/comments/{held.pk}/approve")
    assert count_of(moderated) == 1


def test_only_creators_review_and_approve(held, moderated, reader_client, other_client):
    for client in (reader_client, other_client):
        assert client.get(f"/works/{moderated.pk}/comments/unreviewed").status_code == 403
    assert reader_client.post(f"/comments/{held.pk}/approve").status_code == 403
    assert other_client.post(f"/comments/{held.pk}/approve").status_code == 404  # can't see it
    assert Client().get(f"/works/{moderated.pk}/comments/unreviewed").status_code == 403
    held.refresh_from_db()
    assert held.unreviewed and count_of(moderated) == 0


def test_a_held_comment_cannot_be_replied_to(held, writer_client):
    response = post_reply(writer_client, held, "Not yet.")
    assert response.status_code == 403 and "approved" in response.text
    assert Comment.objects.count() == 1


def test_the_creators_own_comments_are_not_held(moderated, chapter, writer_client):
    post_comment(writer_client, moderated, chapter, "Author's note.")
    assert not Comment.objects.get().unreviewed
    assert count_of(moderated) == 1


def test_a_held_reply_tells_its_parent_author_on_approval(moderated, chapter, writer_client):
    post_comment(writer_client, moderated, chapter, "The creator speaks.")
    top = Comment.objects.get()
    fan = logged_in(old_account("fantine"))
    InboxItem.objects.all().delete()
    post_reply(fan, top, "A held reply.")
    reply = Comment.objects.get(parent=top)
    assert reply.unreviewed
    # The creator (who is also the parent's author) hears of it once, as a held comment.
    assert [(i.user.username, i.kind) for i in InboxItem.objects.all()] == [("hugo", "comment")]
    writer_client.post(f"/comments/{reply.pk}/approve")
    assert count_of(moderated) == 2
    assert InboxItem.objects.count() == 1  # approving it tells nobody again


def test_an_approved_reply_notifies_a_parent_author_who_is_not_a_creator(
    moderated, chapter, writer_client, reader_client
):
    post_comment(reader_client, moderated, chapter, "Top.")
    top = Comment.objects.get()
    writer_client.post(f"/comments/{top.pk}/approve")
    post_reply(logged_in(old_account("fantine")), top, "Held reply.")
    reply = Comment.objects.get(parent=top)
    assert not InboxItem.objects.filter(user__username="cosette", kind="reply").exists()
    writer_client.post(f"/comments/{reply.pk}/approve")
    assert InboxItem.objects.filter(user__username="cosette", kind="reply").count() == 1


def test_deleting_a_held_comment_leaves_the_count_alone(held, moderated, writer_client):
    assert writer_client.post(f"/comments/{held.pk}/delete").status_code == 302
    assert not Comment.objects.exists()
    assert count_of(moderated) == 0


def test_a_guest_comment_is_held_with_a_message(moderated, chapter):
    guest = Client()
    response = post_comment(guest, moderated, chapter, "Guest words.", name="G", email="g@x.org")
    assert response.status_code == 302 and response["Location"] == f"/works/{moderated.pk}"
    page = guest.get(response["Location"]).text
    assert "after the work&#x27;s creator has approved it" in page
    assert "Guest words." not in page
