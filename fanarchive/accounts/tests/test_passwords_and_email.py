"""Password reset and change, changing the email address, the password hasher."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.core import mail
from django.test import Client, override_settings

from fanarchive.accounts import services
from fanarchive.accounts.models import User
from fanarchive.accounts.tests.clock import at
from fanarchive.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = "correct horse battery"
NEW = "a-brand-new-lantern-42"


def link_path(message) -> str:
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    parts = urlsplit(match.group(0))
    return parts.path


def test_argon2_hashes_passwords_first():
    # The project's settings (the test fixture swaps in a fast hasher).
    from config import settings as project

    assert project.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=project.PASSWORD_HASHERS):
        encoded = make_password(GOOD)
        assert encoded.startswith("argon2$argon2id$")
        assert check_password(GOOD, encoded) and not check_password("nope", encoded)


def test_password_reset_by_email(client):
    user = UserFactory(username="marius", email="marius@example.org")
    page = client.get("/users/password/reset")
    assert page.status_code == 200 and 'name="email"' in page.text
    response = client.post("/users/password/reset", {"email": "marius@example.org"})
    assert response.status_code == 302 and response.url == "/users/password/reset/done"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["marius@example.org"]
    assert "Reset your fanarchive password" in mail.outbox[0].subject
    path = link_path(mail.outbox[0])
    assert path.startswith("/users/password/reset/")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and 'name="new_password1"' in form_page.text
    done = client.post(form_page.request["PATH_INFO"], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == "/users/password/reset/complete"
    user.refresh_from_db()
    assert user.check_password(NEW)
    # The link works once.
    again = client.get(path, follow=True)
    assert "not valid" in again.text


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/users/password/reset", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response.url == "/users/password/reset/done"
    assert not mail.outbox


def test_a_forged_reset_link_is_refused(client):
    user = UserFactory(username="marius")
    page = client.get("/users/password/reset/MQ/forged-token", follow=True)
    assert "not valid" in page.text
    user.refresh_from_db()
    assert user.check_password(GOOD)


def test_change_password_needs_the_old_one(client):
    user = UserFactory(username="marius")
    assert client.get("/users/password/change").url.startswith("/users/login?next=")
    client.force_login(user)
    wrong = client.post(
        "/users/password/change",
        {"old_password": "nope", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200 and "old password was entered incorrectly" in wrong.text
    mismatch = client.post(
        "/users/password/change",
        {"old_password": GOOD, "new_password1": NEW, "new_password2": NEW + "x"},
    )
    assert mismatch.status_code == 200
    assert "didn\N{RIGHT SINGLE QUOTATION MARK}t match" in mismatch.text
    ok = client.post(
        "/users/password/change",
        {"old_password": GOOD, "new_password1": NEW, "new_password2": NEW},
    )
    assert ok.status_code == 302 and ok.url == "/users/password/change/done"
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert client.get("/users/marius/preferences").status_code == 200  # still logged in


def test_change_email_is_confirmed_by_a_link_to_the_new_address(client):
    user = UserFactory(username="marius", email="marius@example.org")
    client.force_login(user)
    page = client.get("/users/marius/email")
    assert page.status_code == 200 and "marius@example.org" in page.text
    response = client.post(
        "/users/marius/email",
        {
            "new_email": "pontmercy@example.org",
            "new_email2": "pontmercy@example.org",
            "password": GOOD,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "marius@example.org"  # not yet
    to_new = [m for m in mail.outbox if m.to == ["pontmercy@example.org"]]
    to_old = [m for m in mail.outbox if m.to == ["marius@example.org"]]
    assert len(to_new) == 1 and len(to_old) == 1
    assert "/users/email/confirm/" not in to_old[0].body
    path = link_path(to_new[0])
    confirmed = client.get(path, follow=True)
    assert "Your email address is now pontmercy@example.org" in confirmed.text
    user.refresh_from_db()
    assert user.email == "pontmercy@example.org"
    # Single use.
    assert client.get(path).status_code == 400


def test_change_email_refusals_name_their_fields(client):
    UserFactory(username="cosette", email="cosette@example.org")
    user = UserFactory(username="marius", email="marius@example.org")
    client.force_login(user)
    taken = client.post(
        "/users/marius/email",
        {"new_email": "COSETTE@example.org", "new_email2": "cosette@example.org", "password": GOOD},
    )
    assert "An account with that email address already exists" in taken.text
    bad = client.post(
        "/users/marius/email",
        {"new_email": "a@example.org", "new_email2": "b@example.org", "password": "nope"},
    )
    assert "do not match" in bad.text and "current password is not correct" in bad.text
    assert not mail.outbox


def test_email_change_links_expire_and_refuse_an_address_taken_meanwhile(client):
    user = UserFactory(username="marius", email="marius@example.org")
    with at("2026-03-01 00:00:00"):
        token = services.email_change_token(user=user, new_email="new@example.org")
    with at("2026-03-04 00:00:01"):
        expired = client.get(f"/users/email/confirm/{token}")
    assert expired.status_code == 400 and "expired" in expired.text
    with at("2026-03-02 00:00:00"):
        UserFactory(username="someone", email="NEW@example.org")
        taken = client.get(f"/users/email/confirm/{token}")
    assert taken.status_code == 400 and "Another account" in taken.text
    assert client.get("/users/email/confirm/garbage").status_code == 400
    user.refresh_from_db()
    assert user.email == "marius@example.org"


def test_someone_else_cannot_change_my_email(client):
    UserFactory(username="marius")
    client.force_login(UserFactory(username="javert"))
    assert client.get("/users/marius/email").status_code == 403
    assert client.post("/users/marius/email", {"new_email": "x@example.org"}).status_code == 403
    guest = Client()
    assert guest.get("/users/marius/email").url.startswith("/users/login?next=")


def test_account_forms_need_the_csrf_token():
    user = UserFactory(username="marius")
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post("/users/password/reset", {"email": user.email}).status_code == 403
    csrf_client.force_login(user)
    data = {"old_password": GOOD, "new_password1": NEW, "new_password2": NEW}
    assert csrf_client.post("/users/password/change", data).status_code == 403
    email = {"new_email": "n@example.org", "new_email2": "n@example.org", "password": GOOD}
    assert csrf_client.post("/users/marius/email", email).status_code == 403
    assert not mail.outbox
    assert User.objects.get(pk=user.pk).check_password(GOOD)


def test_mail_sending_forms_are_limited_per_address(client):
    UserFactory(username="marius", email="marius@example.org")
    with at(2_000_000_000.0) as clock:
        for _ in range(5):
            response = client.post("/users/password/reset", {"email": "marius@example.org"})
            assert response.status_code == 302
        assert len(mail.outbox) == 5
        limited = client.post("/users/password/reset", {"email": "marius@example.org"})
        assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
        assert "Too many emails" in limited.text
        assert len(mail.outbox) == 5
        for _ in range(5):
            client.post("/users/confirm/resend", {"email": "x@example.org"})
        assert client.post("/users/confirm/resend", {"email": "x@example.org"}).status_code == 429
        clock.advance(3600)
        assert (
            client.post("/users/password/reset", {"email": "marius@example.org"}).status_code == 302
        )
        assert len(mail.outbox) == 6
