"""Sign-up in each mode, invitations, the confirmation link, the `invite` command."""

import re
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from fanarchive.accounts import services
from fanarchive.accounts.models import Invitation, Pseud, User
from fanarchive.accounts.tests.clock import at
from fanarchive.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "lamplight-on-rue-plumet"


def form(**overrides):
    data = {
        "username": "cosette",
        "email": "cosette@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def link_in(message) -> str:
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    return match.group(0)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_open_signup_creates_an_inactive_account_with_its_default_pseud(client):
    page = client.get("/users/signup")
    assert page.status_code == 200
    for name in ("username", "email", "password1", "password2", "accept_terms"):
        assert f'name="{name}"' in page.text
    response = client.post("/users/signup", form())
    assert response.status_code == 200
    assert "Almost there" in response.text
    user = User.objects.get(username="cosette")
    assert not user.is_active and user.email == "cosette@example.org"
    assert user.check_password(PASSWORD)
    assert list(Pseud.objects.filter(user=user).values_list("name", "is_default")) == [
        ("cosette", True)
    ]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["cosette@example.org"]
    assert "/users/confirm/" in mail.outbox[0].body
    # Not usable before confirmation: the log-in page says so.
    refused = client.post("/users/login", {"username": "cosette", "password": PASSWORD})
    assert refused.status_code == 200
    assert "not been confirmed" in refused.text
    assert "_auth_user_id" not in client.session
    assert client.get("/users/cosette").status_code == 404  # no profile before confirmation


def test_confirmation_link_activates_then_log_in_works(client):
    client.post("/users/signup", form())
    link = link_in(mail.outbox[0])
    assert link.startswith("http://testserver/users/confirm/")
    response = client.get(path_of(link))
    assert response.status_code == 302
    assert response.url == "/users/login?username=cosette"
    assert User.objects.get(username="cosette").is_active
    page = client.get(response.url)
    assert "Your account is confirmed" in page.text
    assert 'value="cosette"' in page.text
    # A second visit is harmless: already confirmed.
    again = client.get(path_of(link), follow=True)
    assert "already confirmed" in again.text
    assert client.get("/users/cosette").status_code == 200
    logged_in = client.post("/users/login", {"username": "cosette", "password": PASSWORD})
    assert logged_in.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="cosette").pk)


def test_bad_and_expired_confirmation_links_are_refused(client, settings):
    with at("2026-01-01 12:00:00"):
        client.post("/users/signup", form())
    link = path_of(link_in(mail.outbox[0]))
    token = link.rsplit("/", 1)[1]
    bad = client.get(f"/users/confirm/{token[:-2]}xx")
    assert bad.status_code == 400
    assert "not valid" in bad.text
    assert not User.objects.get(username="cosette").is_active
    with at("2026-01-04 12:00:01"):  # three days and a second later
        expired = client.get(link)
    assert expired.status_code == 400
    assert "expired" in expired.text
    assert 'action="/users/confirm/resend"' in expired.text
    assert not User.objects.get(username="cosette").is_active
    with at("2026-01-04 11:59:00"):
        assert client.get(link).status_code == 302
    assert User.objects.get(username="cosette").is_active


def test_a_token_for_another_salt_or_a_changed_address_does_not_confirm(client):
    client.post("/users/signup", form())
    user = User.objects.get(username="cosette")
    foreign = signing.dumps({"u": user.pk, "e": user.email}, salt="something.else")
    assert client.get(f"/users/confirm/{foreign}").status_code == 400
    token = services.confirmation_token(user=user)
    User.objects.filter(pk=user.pk).update(email="other@example.org")
    assert client.get(f"/users/confirm/{token}").status_code == 400
    assert not User.objects.get(pk=user.pk).is_active


def test_resend_confirmation_mails_a_new_link_without_telling_who_exists(client):
    client.post("/users/signup", form())
    mail.outbox.clear()
    response = client.post("/users/confirm/resend", {"email": "COSETTE@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/users/confirm/" in mail.outbox[0].body
    unknown = client.post("/users/confirm/resend", {"email": "nobody@example.org"}, follow=True)
    assert "If an unconfirmed account uses that address" in unknown.text
    assert len(mail.outbox) == 1
    assert client.post("/users/confirm/resend", {"email": "not an email"}).status_code == 200


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("ab", "3 to 40 characters"),
        ("a" * 41, "40 characters"),
        ("_cosette", "begin and end"),
        ("cosette_", "begin and end"),
        ("cos ette", "only letters, numbers and underscores"),
        ("cosétte", "only letters, numbers and underscores"),
        ("signup", "reserved"),
    ],
)
def test_login_names_follow_ao3s_rules(client, username, message):
    response = client.post("/users/signup", form(username=username))
    assert response.status_code == 200
    assert message in response.text
    assert not User.objects.exists()


def test_valid_edge_logins_are_accepted(client):
    assert client.post("/users/signup", form(username="a_1")).status_code == 200
    assert User.objects.filter(username="a_1").exists()
    name = "B" * 40
    assert client.post("/users/signup", form(username=name, email="b@example.org"))
    assert User.objects.filter(username=name).exists()


def test_signup_form_errors_name_their_fields(client):
    UserFactory(username="marius", email="marius@example.org")
    response = client.post(
        "/users/signup",
        form(username="MARIUS", email="Marius@Example.org", password2="different", accept_terms=""),
    )
    html = response.text
    assert "That user name is already taken" in html
    assert "An account with that email address already exists" in html
    assert "The two passwords do not match" in html
    assert "You must accept the Terms of Service" in html
    weak = client.post("/users/signup", form(password1="cosette1", password2="cosette1"))
    assert "too similar to the username" in weak.text
    assert User.objects.filter(username__iexact="cosette").count() == 0


def test_closed_signups_refuse_and_hide_the_link(client, settings):
    settings.FANARCHIVE_SIGNUPS = "closed"
    page = client.get("/users/signup")
    assert page.status_code == 200
    assert "Sign-ups are closed" in page.text and 'name="username"' not in page.text
    assert client.post("/users/signup", form()).status_code == 403
    assert not User.objects.exists()
    assert 'href="/users/signup"' not in client.get("/").text
    _invitation, token = services.invitation_create(email="cosette@example.org")
    assert client.post("/users/signup", form(invitation=token)).status_code == 403
    assert not User.objects.exists()


def test_invitation_signup_needs_a_valid_unused_unexpired_invitation(client, settings):
    settings.FANARCHIVE_SIGNUPS = "invitation"
    page = client.get("/users/signup")
    assert page.status_code == 200 and "invitation only" in page.text
    assert 'name="username"' not in page.text
    assert client.post("/users/signup", form()).status_code == 403
    assert not User.objects.exists()

    invitation, token = services.invitation_create(email="cosette@example.org")
    assert invitation.token_hash != token and token not in invitation.token_hash
    invited = client.get(f"/users/signup?invitation={token}")
    assert invited.status_code == 200
    assert 'value="cosette@example.org"' in invited.text
    assert f'value="{token}"' in invited.text
    response = client.post("/users/signup", form(invitation=token))
    assert response.status_code == 200 and "Almost there" in response.text
    invitation.refresh_from_db()
    user = User.objects.get(username="cosette")
    assert invitation.used_by == user and invitation.used_at is not None

    # Single use.
    used = client.post(
        "/users/signup", form(username="marius", email="m@example.org", invitation=token)
    )
    assert used.status_code == 403 and "already been used" in used.text
    assert client.get(f"/users/signup?invitation={token}").status_code == 403
    # Unknown.
    assert client.get("/users/signup?invitation=nonsense").status_code == 403
    # Expired.
    old, old_token = services.invitation_create(email="m@example.org", days=1)
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = client.post(
        "/users/signup", form(username="marius", email="m@example.org", invitation=old_token)
    )
    assert expired.status_code == 403 and "expired" in expired.text
    assert not User.objects.filter(username="marius").exists()


def test_a_renewed_invitation_replaces_the_old_link(settings):
    invitation, token = services.invitation_create(email="x@example.org")
    new_token = services.invitation_renew(invitation=invitation)
    with pytest.raises(services.InvitationError):
        services.invitation_for_token(token)
    assert services.invitation_for_token(new_token).pk == invitation.pk


def test_the_service_refuses_without_invitation_when_invitation_only(settings):
    settings.FANARCHIVE_SIGNUPS = "invitation"
    with pytest.raises(services.AccountError):
        services.user_signup(username="x_y", email="x@example.org", password=PASSWORD)
    settings.FANARCHIVE_SIGNUPS = "closed"
    with pytest.raises(services.AccountError, match="closed"):
        services.user_signup(username="x_y", email="x@example.org", password=PASSWORD)
    assert not User.objects.exists()


def test_invite_command_prints_single_use_links_and_mails_them(client, settings):
    settings.FANARCHIVE_SIGNUPS = "invitation"
    out = StringIO()
    call_command("invite", "a@example.org", "b@example.org", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["a@example.org", "b@example.org"]
    links = [line.split("\t")[1] for line in lines]
    assert all(
        link.startswith("https://archive.example.org/users/signup?invitation=") for link in links
    )
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@example.org"]]
    assert links[0] in mail.outbox[0].body
    assert Invitation.objects.count() == 2
    assert client.get(path_of(links[0])).status_code == 200

    mail.outbox.clear()
    call_command("invite", "c@example.org", "--no-email", "--days", "2", stdout=StringIO())
    assert not mail.outbox
    made = Invitation.objects.get(email="c@example.org")
    assert timedelta(days=1, hours=23) < made.expires_at - timezone.now() <= timedelta(days=2)
    with pytest.raises(CommandError, match="not an email address: nope"):
        call_command("invite", "nope", stdout=StringIO())
    with pytest.raises(CommandError, match="--days"):
        call_command("invite", "d@example.org", "--days", "0", stdout=StringIO())


def test_admin_adds_an_invitation_and_sees_its_link_once(client, settings):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/invitation/add/", {"email": "new@example.org"}, follow=True
    )
    assert response.status_code == 200
    invitation = Invitation.objects.get(email="new@example.org")
    assert invitation.created_by == admin
    text = response.content.decode()
    match = re.search(r"https://archive\.example\.org/users/signup\?invitation=[\w-]+", text)
    assert match, text
    assert services.invitation_for_token(match.group(0).rsplit("=", 1)[1]).pk == invitation.pk
    assert mail.outbox and mail.outbox[0].to == ["new@example.org"]

    renewed = client.post(
        "/admin/accounts/invitation/",
        {"action": "send_new_links", "_selected_action": [invitation.pk]},
        follow=True,
    )
    new_link = re.search(
        r"https://archive\.example\.org/users/signup\?invitation=[\w-]+", renewed.content.decode()
    )
    assert new_link and new_link.group(0) != match.group(0)
    with pytest.raises(services.InvitationError):
        services.invitation_for_token(match.group(0).rsplit("=", 1)[1])


def test_signup_forms_need_the_csrf_token():
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post("/users/signup", form()).status_code == 403
    assert not User.objects.exists()
    page = csrf_client.get("/users/signup")
    token = page.cookies["csrftoken"].value
    ok = csrf_client.post("/users/signup", {**form(), "csrfmiddlewaretoken": token})
    assert ok.status_code == 200 and User.objects.filter(username="cosette").exists()
    assert csrf_client.post("/users/confirm/resend", {"email": "x@example.org"}).status_code == 403


def test_logged_in_readers_are_sent_home_from_signup(client):
    client.force_login(UserFactory())
    assert client.get("/users/signup").status_code == 302
