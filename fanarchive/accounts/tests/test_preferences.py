"""Preferences: the model's defaults, the page (owner only), the theme and text size on pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.test import Client

from fanarchive.accounts.models import Preference
from fanarchive.accounts.selectors import preferences_for
from fanarchive.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def prefs_form(**overrides):
    data = {"theme": "light", "font_size": "100", "history_enabled": "on"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_preferences_for_guests_and_users_without_a_row_are_unsaved_defaults():
    for viewer in (None, AnonymousUser()):
        prefs = preferences_for(viewer)
        assert prefs.pk is None
        assert (prefs.view_adult, prefs.hide_warnings, prefs.hide_freeform) == (False,) * 3
        assert (prefs.view_full_work, prefs.theme, prefs.font_size) == (False, "light", 100)
        assert prefs.history_enabled is True
    user = UserFactory()
    prefs = preferences_for(user)
    assert prefs.pk is None and prefs.user_id == user.pk
    Preference.objects.create(user=user, view_adult=True, theme="dark", font_size=130)
    saved = preferences_for(user)
    assert saved.pk is not None and saved.view_adult and saved.theme == "dark"
    assert user.preference == saved


def test_the_database_refuses_out_of_range_values():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Preference.objects.create(user=user, font_size=300)
    with pytest.raises(IntegrityError), transaction.atomic():
        Preference.objects.create(user=user, theme="neon")


@pytest.mark.parametrize(
    ("size", "css"), [(80, "font-80"), (100, "font-100"), (114, "font-110"), (200, "font-200")]
)
def test_font_class_rounds_to_a_step(size, css):
    assert Preference(font_size=size).font_class == css


def test_owner_saves_preferences_and_pages_follow_them(client):
    user = UserFactory(username="marius")
    client.force_login(user)
    page = client.get("/users/marius/preferences")
    assert page.status_code == 200
    for name in (
        "view_adult",
        "hide_warnings",
        "hide_freeform",
        "view_full_work",
        "theme",
        "font_size",
        "history_enabled",
    ):
        assert f'name="{name}"' in page.text
    assert '<html lang="en" data-theme="light" class="font-100">' in page.text
    response = client.post(
        "/users/marius/preferences",
        prefs_form(
            view_adult="on",
            hide_warnings="on",
            view_full_work="on",
            theme="dark",
            font_size="120",
            history_enabled=None,
        ),
    )
    assert response.status_code == 302 and response.url == "/users/marius/preferences"
    saved = Preference.objects.get(user=user)
    assert (saved.view_adult, saved.hide_warnings, saved.hide_freeform) == (True, True, False)
    assert (saved.view_full_work, saved.theme, saved.font_size) == (True, "dark", 120)
    assert saved.history_enabled is False
    after = client.get("/users/marius/preferences")
    assert "Your preferences were saved" in after.text
    assert '<html lang="en" data-theme="dark" class="font-120">' in after.text
    home = client.get("/")
    assert 'data-theme="dark" class="font-120"' in home.text
    # Saving again updates the same row.
    client.post("/users/marius/preferences", prefs_form(theme="light"))
    assert Preference.objects.filter(user=user).count() == 1
    assert Preference.objects.get(user=user).theme == "light"


def test_bad_values_are_refused_with_field_messages(client):
    user = UserFactory(username="marius")
    client.force_login(user)
    response = client.post("/users/marius/preferences", prefs_form(theme="neon", font_size="300"))
    assert response.status_code == 200
    assert "Select a valid choice. neon is not one of the available choices." in response.text
    assert "Select a valid choice. 300 is not one of the available choices." in response.text
    junk = client.post("/users/marius/preferences", prefs_form(font_size="big"))
    assert junk.status_code == 200 and "Select a valid choice" in junk.text
    assert not Preference.objects.filter(user=user).exists()


def test_guests_log_in_first_and_others_are_refused(client):
    owner = UserFactory(username="marius")
    guest = Client()
    response = guest.get("/users/marius/preferences")
    assert response.status_code == 302
    assert response.url == "/users/login?next=/users/marius/preferences"
    assert guest.post("/users/marius/preferences", prefs_form(theme="dark")).status_code == 302
    client.force_login(UserFactory(username="javert"))
    assert client.get("/users/marius/preferences").status_code == 403
    assert client.post("/users/marius/preferences", prefs_form(theme="dark")).status_code == 403
    assert client.get("/users/nobody/preferences").status_code == 404
    assert not Preference.objects.filter(user=owner).exists()


def test_guests_get_the_default_skin(client):
    assert '<html lang="en" data-theme="light" class="font-100">' in client.get("/").text


def test_preferences_form_needs_the_csrf_token():
    user = UserFactory(username="marius")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    assert (
        csrf_client.post("/users/marius/preferences", prefs_form(theme="dark")).status_code == 403
    )
    assert not Preference.objects.filter(user=user).exists()


def test_pages_read_the_viewers_preferences_with_the_account(client, django_assert_num_queries):
    from django.contrib.auth import get_user

    user = UserFactory(username="marius")
    Preference.objects.create(user=user, theme="dark", font_size=90)
    client.force_login(user)
    request = client.get("/").wsgi_request
    request.session = client.session
    with django_assert_num_queries(2):  # the session, the account with its preferences
        viewer = get_user(request)
        prefs = preferences_for(viewer)
        assert (prefs.theme, prefs.font_size) == ("dark", 90)
    other = UserFactory(username="cosette")
    client.force_login(other)
    request.session = client.session
    with django_assert_num_queries(2):
        viewer = get_user(request)
        assert preferences_for(viewer).pk is None
        assert preferences_for(viewer).theme == "light"
