"""Every wrangling page and action: guests are sent to log in, readers get 403, wranglers
(the Tag Wranglers group, or superusers) get through."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.tags.models import Tag, TagType, WranglingAction
from fanarchive.works.tests.factories import WorkFactory

from .conftest import fandom, tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    lm = fandom("Les Misérables")
    javert = tag("Javert")
    work = WorkFactory(tags=[lm, javert])
    orphan = WorkFactory(tags=[tag("Jehan Prouvaire")])
    return {"fandom": lm, "tag": javert, "work": work, "orphan": orphan}


PAGES = [
    ("wrangling:home", lambda w: []),
    ("wrangling:fandom_bin", lambda w: [w["fandom"].name, "character"]),
    ("wrangling:unassigned_bin", lambda w: ["character"]),
    ("wrangling:tag", lambda w: [w["tag"].name]),
    ("wrangling:autocomplete", lambda w: []),
    ("wrangling:works_needing_fandom", lambda w: []),
]


def actions(w):
    return [
        ("wrangling:action", {"action": "canonical", "tags": [w["tag"].pk]}),
        ("wrangling:set_fandom", {"work": w["orphan"].pk, "fandom": w["fandom"].name}),
        ("wrangling:infer_fandoms", {}),
    ]


def test_the_migration_gives_the_group_the_permission():
    group = Group.objects.get(name="Tag Wranglers")
    assert list(group.permissions.values_list("codename", flat=True)) == ["wrangle_tags"]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_guests_are_sent_to_log_in(client, world, name, args):
    url = reverse(name, args=args(world))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_readers_are_refused(client, reader, world, name, args):
    client.force_login(reader)
    assert client.get(reverse(name, args=args(world))).status_code == 403


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_wranglers_see_every_page(wrangler_client, world, name, args):
    assert wrangler_client.get(reverse(name, args=args(world)) + "?term=Jav").status_code == 200


def test_superusers_are_wranglers(client, world):
    client.force_login(UserFactory(username="admin", is_superuser=True))
    assert client.get(reverse("wrangling:home")).status_code == 200


def test_a_user_given_the_permission_directly_is_a_wrangler(client, world):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="wrangle_tags"))
    client.force_login(user)
    assert client.get(reverse("wrangling:home")).status_code == 200


def _unchanged(world):
    javert = Tag.objects.get(pk=world["tag"].pk)
    assert not javert.canonical
    assert not WranglingAction.objects.exists()
    assert not world["orphan"].work_tags.filter(tag__type=TagType.FANDOM).exists()


@pytest.mark.parametrize("index", range(3))
def test_guests_cannot_act(client, world, index):
    name, data = actions(world)[index]
    response = client.post(reverse(name), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    _unchanged(world)


@pytest.mark.parametrize("index", range(3))
def test_readers_cannot_act(client, reader, world, index):
    client.force_login(reader)
    name, data = actions(world)[index]
    assert client.post(reverse(name), data).status_code == 403
    _unchanged(world)


@pytest.mark.parametrize("index", range(3))
def test_wranglers_can_act(wrangler_client, world, index):
    name, data = actions(world)[index]
    assert wrangler_client.post(reverse(name), data).status_code == 302


def test_actions_need_post(wrangler_client, world):
    for name, _ in actions(world):
        assert wrangler_client.get(reverse(name)).status_code == 405


def test_actions_need_the_csrf_token(wrangler, world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(wrangler)
    name, data = actions(world)[0]
    assert client.post(reverse(name), data).status_code == 403
    _unchanged(world)
