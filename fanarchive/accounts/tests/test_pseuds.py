"""Pseuds: create, edit, make default, delete (what they are credited with moves to the default)."""

import pytest
from django.test import Client

from fanarchive.accounts import services
from fanarchive.accounts.models import Pseud
from fanarchive.accounts.signals import pseud_merging
from fanarchive.accounts.tests.factories import PseudFactory, UserFactory
from fanarchive.works.models import Creatorship
from fanarchive.works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def marius(client):
    user = UserFactory(username="marius")
    client.force_login(user)
    return user


def names(user):
    return list(Pseud.objects.filter(user=user).values_list("name", "is_default"))


def test_create_a_pseud(client, marius):
    page = client.get("/users/marius/pseuds/new")
    assert page.status_code == 200 and 'name="name"' in page.text
    response = client.post(
        "/users/marius/pseuds/new", {"name": "  Baron   Pontmercy ", "description": "<b>Hi</b>"}
    )
    assert response.status_code == 302 and response.url == "/users/marius"
    pseud = Pseud.objects.get(user=marius, name="Baron Pontmercy")
    assert pseud.description == "<b>Hi</b>" and not pseud.is_default
    profile = client.get("/users/marius")
    assert "&lt;b&gt;Hi&lt;/b&gt;" in profile.text and "<b>Hi</b>" not in profile.text
    assert 'href="/users/marius/pseuds/Baron%20Pontmercy/edit"' in profile.text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required"),
        ("   ", "This field is required"),
        ("a/b", "only letters, numbers, spaces, underscores and hyphens"),
        ("<script>", "only letters, numbers, spaces, underscores and hyphens"),
        ("__ --", "at least one letter or number"),
        ("x" * 41, "at most 40 characters"),
        ("MARIUS", "You already have a pseud called MARIUS"),
    ],
)
def test_bad_pseud_names_are_refused(client, marius, name, message):
    response = client.post("/users/marius/pseuds/new", {"name": name})
    assert response.status_code == 200
    assert message in response.text
    assert names(marius) == [("marius", True)]


def test_description_has_a_limit(client, marius):
    response = client.post("/users/marius/pseuds/new", {"name": "Lark", "description": "x" * 501})
    assert "at most 500 characters" in response.text
    assert not Pseud.objects.filter(name="Lark").exists()


def test_edit_a_pseud_and_keep_the_login_pseud_name(client, marius):
    PseudFactory(user=marius, name="Lark")
    PseudFactory(user=marius, name="Other")
    page = client.get("/users/marius/pseuds/lark/edit")
    assert page.status_code == 200 and 'value="Lark"' in page.text
    ok = client.post("/users/marius/pseuds/Lark/edit", {"name": "Alouette", "description": "bird"})
    assert ok.status_code == 302
    assert Pseud.objects.get(user=marius, name="Alouette").description == "bird"
    clash = client.post("/users/marius/pseuds/Alouette/edit", {"name": "other"})
    assert "You already have a pseud called other" in clash.text
    login_pseud = client.post("/users/marius/pseuds/marius/edit", {"name": "Marius P"})
    assert "cannot be renamed" in login_pseud.text
    described = client.post(
        "/users/marius/pseuds/marius/edit", {"name": "marius", "description": "the baron"}
    )
    assert described.status_code == 302
    assert Pseud.objects.get(user=marius, name="marius").description == "the baron"


def test_make_default(client, marius):
    PseudFactory(user=marius, name="Lark")
    assert client.get("/users/marius/pseuds/Lark/default").status_code == 405
    response = client.post("/users/marius/pseuds/Lark/default")
    assert response.status_code == 302
    assert sorted(names(marius)) == [("Lark", True), ("marius", False)]
    assert marius.default_pseud().name == "Lark"


def test_delete_moves_works_to_the_default_pseud(client, marius):
    lark = PseudFactory(user=marius, name="Lark")
    default = marius.default_pseud()
    alone = WorkFactory(creator=lark)
    shared = WorkFactory(creator=lark)
    Creatorship.objects.create(work=shared, pseud=default, position=1)
    heard = []

    def listen(sender, pseud, into, **kwargs):
        heard.append((pseud.name, into.name))

    pseud_merging.connect(listen)
    try:
        page = client.get("/users/marius/pseuds/Lark/delete")
        assert page.status_code == 200
        assert (
            "2 works credited to Lark will be credited to your default pseud, marius" in page.text
        )
        response = client.post("/users/marius/pseuds/Lark/delete")
    finally:
        pseud_merging.disconnect(listen)
    assert response.status_code == 302
    assert names(marius) == [("marius", True)]
    assert heard == [("Lark", "marius")]
    assert list(Creatorship.objects.filter(work=alone).values_list("pseud_id", flat=True)) == [
        default.pk
    ]
    # The default was already credited on the shared work: one credit, not two.
    assert list(Creatorship.objects.filter(work=shared).values_list("pseud_id", flat=True)) == [
        default.pk
    ]


def test_the_default_and_the_login_pseud_cannot_be_deleted(client, marius):
    lark = PseudFactory(user=marius, name="Lark")
    services.pseud_make_default(pseud=lark)
    refused = client.post("/users/marius/pseuds/Lark/delete")
    assert refused.status_code == 400 and "cannot delete your default pseud" in refused.text
    login_pseud = client.post("/users/marius/pseuds/marius/delete")
    assert login_pseud.status_code == 400 and "named after your login" in login_pseud.text
    assert sorted(names(marius)) == [("Lark", True), ("marius", False)]


def test_only_the_owner_manages_pseuds(client):
    owner = UserFactory(username="marius")
    PseudFactory(user=owner, name="Lark")
    client.force_login(UserFactory(username="javert"))
    assert client.get("/users/marius/pseuds/new").status_code == 403
    assert client.post("/users/marius/pseuds/new", {"name": "Spy"}).status_code == 403
    assert client.post("/users/marius/pseuds/Lark/edit", {"name": "X"}).status_code == 403
    assert client.post("/users/marius/pseuds/Lark/default").status_code == 403
    assert client.post("/users/marius/pseuds/Lark/delete").status_code == 403
    assert client.get("/users/nobody/pseuds/new").status_code == 404
    assert sorted(names(owner)) == [("Lark", False), ("marius", True)]
    profile = client.get("/users/marius")
    assert (
        "/pseuds/Lark/edit" not in profile.text
        and "Preferences" not in profile.text.split("<main")[1]
    )
    guest = Client()
    assert guest.post("/users/marius/pseuds/Lark/delete").url.startswith("/users/login?next=")
    assert Pseud.objects.filter(name="Lark").exists()


def test_unknown_pseud_is_404_for_the_owner(client, marius):
    assert client.get("/users/marius/pseuds/Nobody/edit").status_code == 404
    assert client.post("/users/marius/pseuds/Nobody/delete").status_code == 404


def test_pseud_forms_need_the_csrf_token(marius):
    PseudFactory(user=marius, name="Lark")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(marius)
    assert csrf_client.post("/users/marius/pseuds/new", {"name": "New"}).status_code == 403
    assert csrf_client.post("/users/marius/pseuds/Lark/default").status_code == 403
    assert csrf_client.post("/users/marius/pseuds/Lark/delete").status_code == 403
    assert sorted(names(marius)) == [("Lark", False), ("marius", True)]


def test_profile_shows_join_date_and_owner_links(client, marius):
    page = client.get("/users/marius")
    html = page.text
    assert f'datetime="{marius.date_joined:%Y-%m-%d}"' in html
    assert 'href="/users/marius/preferences">Preferences</a>' in html
    assert 'href="/users/marius/pseuds/new"' in html
    assert 'href="/users/marius/email"' in html
    assert 'href="/users/password/change"' in html


def test_an_account_made_in_the_admin_gets_its_default_pseud(client):
    from fanarchive.accounts.models import User

    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "fantine",
            "password1": "a-long-enough-password-1",
            "password2": "a-long-enough-password-1",
            "usable_password": "true",
            "pseuds-TOTAL_FORMS": "0",
            "pseuds-INITIAL_FORMS": "0",
            "preference-TOTAL_FORMS": "0",
            "preference-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="fantine")
    assert names(user) == [("fantine", True)]
    assert services.pseud_default_ensure(user=user).name == "fantine"
    assert Pseud.objects.filter(user=user).count() == 1
