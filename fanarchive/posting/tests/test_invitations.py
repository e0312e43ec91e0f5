"""Co-creator invitations: invited on the work form, credited only after accepting at
/users/<login>/creator_invitations."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.works.models import CreatorInvitation, Work
from fanarchive.works.services import creator_invitation_respond, creator_invitations_send

from .conftest import form_data

PAGE = "/users/dumas/creator_invitations"


@pytest.fixture
def invited(writer_client, other):
    writer_client.post("/works/new", form_data(co_creators="dumas", title="Joint Work"))
    return CreatorInvitation.objects.get()


def bylines(work):
    return [c.pseud.user.username for c in work.creatorships.order_by("position")]


def test_invitee_sees_pending_invitation_with_buttons(other_client, invited):
    response = other_client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Joint Work" in html and "hugo" in html
    assert f'action="{PAGE}/{invited.pk}"' in html
    assert 'value="accept"' in html and 'value="decline"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_accept_credits_the_invitee(other_client, client, invited):
    work = invited.work
    response = other_client.post(f"{PAGE}/{invited.pk}", {"answer": "accept"})
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.state == "accepted"
    assert bylines(work) == ["hugo", "dumas"]
    assert "dumas" in client.get(f"/works/{work.pk}").content.decode()
    assert "Joint Work" in client.get("/users/dumas/works").content.decode()
    # Now a creator: may edit the work.
    assert other_client.get(f"/works/{work.pk}/edit").status_code == 200
    # Answering twice is refused with a message, and changes nothing.
    response = other_client.post(f"{PAGE}/{invited.pk}", {"answer": "decline"}, follow=True)
    assert "already accepted" in response.content.decode()
    invited.refresh_from_db()
    assert invited.state == "accepted"


def test_decline_leaves_the_byline(other_client, invited):
    other_client.post(f"{PAGE}/{invited.pk}", {"answer": "decline"})
    invited.refresh_from_db()
    assert invited.state == "declined"
    assert bylines(invited.work) == ["hugo"]
    assert other_client.get(f"/works/{invited.work_id}/edit").status_code == 403


def test_bad_answer_is_refused(other_client, invited):
    response = other_client.post(f"{PAGE}/{invited.pk}", {"answer": "maybe"}, follow=True)
    assert "Answer: choose Accept or Decline." in response.content.decode()
    invited.refresh_from_db()
    assert invited.state == "pending"


def test_pending_invitee_is_not_credited_and_cannot_edit(other_client, invited):
    assert bylines(invited.work) == ["hugo"]
    assert other_client.get(f"/works/{invited.work_id}/edit").status_code == 403


def test_only_the_invited_account_sees_and_answers(writer_client, invited, db):
    # The work's creator cannot open or answer the invitee's page.
    assert writer_client.get(PAGE).status_code == 404
    assert writer_client.post(f"{PAGE}/{invited.pk}", {"answer": "accept"}).status_code == 404
    # A third account cannot answer it through its own page either.
    third = Client()
    third.force_login(UserFactory(username="zola"))
    url = f"/users/zola/creator_invitations/{invited.pk}"
    assert third.post(url, {"answer": "accept"}).status_code == 404
    invited.refresh_from_db()
    assert invited.state == "pending"
    with pytest.raises(ValidationError):
        creator_invitation_respond(
            invitation=invited, user=UserFactory(username="balzac"), accept=True
        )


def test_guest_is_sent_to_log_in(client, invited):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/users/login?next=")
    assert client.post(f"{PAGE}/{invited.pk}", {"answer": "accept"}).status_code == 302
    invited.refresh_from_db()
    assert invited.state == "pending"


def test_answers_need_csrf(other, invited):
    client = Client(enforce_csrf_checks=True)
    client.force_login(other)
    assert client.post(f"{PAGE}/{invited.pk}", {"answer": "accept"}).status_code == 403
    invited.refresh_from_db()
    assert invited.state == "pending"


def test_answers_need_post(other_client, invited):
    assert other_client.get(f"{PAGE}/{invited.pk}").status_code == 405


def test_draft_title_is_shown_without_a_link(writer_client, other_client, other):
    writer_client.post(
        "/works/new", form_data(co_creators="dumas", title="Secret Draft", action="draft")
    )
    work = Work.objects.get(title="Secret Draft")
    html = other_client.get(PAGE).content.decode()
    assert "Secret Draft" in html
    assert f'href="/works/{work.pk}"' not in html
    assert other_client.get(f"/works/{work.pk}").status_code == 404


def test_sending_twice_keeps_one_pending_and_renews_declined(writer, other, invited):
    work = invited.work
    assert (
        creator_invitations_send(work=work, pseuds=[other.default_pseud()], invited_by=writer) == []
    )
    invited.state = "declined"
    invited.save()
    [again] = creator_invitations_send(work=work, pseuds=[other.default_pseud()], invited_by=writer)
    assert again.pk == invited.pk and again.state == "pending"
    # Credited creators are never invited.
    assert (
        creator_invitations_send(work=work, pseuds=[writer.default_pseud()], invited_by=writer)
        == []
    )


def test_inviting_oneself_is_ignored(writer_client):
    response = writer_client.post("/works/new", form_data(co_creators="hugo"))
    assert response.status_code == 302
    assert CreatorInvitation.objects.count() == 0


def test_editing_can_invite_later(writer_client, other):
    writer_client.post("/works/new", form_data())
    work = Work.objects.get()
    writer_client.post(f"/works/{work.pk}/edit", form_data(co_creators="dumas"))
    assert CreatorInvitation.objects.get().pseud == other.default_pseud()
    page = writer_client.get(f"/works/{work.pk}/edit")
    assert page.context["form"].initial["co_creators"] == "dumas"
