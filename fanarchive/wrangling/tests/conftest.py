import pytest
from django.contrib.auth.models import Group

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.tags.models import ParentTagging, TagType
from fanarchive.tags.tests.factories import TagFactory


@pytest.fixture(autouse=True)
def _fresh_assistant_vocabulary():
    # The assistant caches its vocabulary per process; tests build different ones.
    from fanarchive.tags.assistant import invalidate_vocabulary

    invalidate_vocabulary()
    yield
    invalidate_vocabulary()


@pytest.fixture
def wrangler(db):
    user = UserFactory(username="wrangler")
    user.groups.add(Group.objects.get(name="Tag Wranglers"))
    return user


@pytest.fixture
def reader(db):
    return UserFactory(username="reader")


@pytest.fixture
def wrangler_client(client, wrangler):
    client.force_login(wrangler)
    return client


def fandom(name, **kwargs):
    return TagFactory(name=name, type=TagType.FANDOM, canonical=True, **kwargs)


def tag(name, tag_type=TagType.CHARACTER, **kwargs):
    return TagFactory(name=name, type=tag_type, **kwargs)


def parent(child, parent_tag):
    ParentTagging.objects.create(parent=parent_tag, child=child)
    return child
