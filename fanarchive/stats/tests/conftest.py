"""Fixtures for the stats tests: a creator and a work, readers with browsers' User-Agents."""

import pytest
from django.test import Client

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.stats import hits
from fanarchive.works.tests.factories import WorkFactory

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def _tasks_recorded(settings):
    # The roll-up is queued with run_after: the dummy backend records what was queued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    hits.reset_schedule()
    yield
    if hasattr(default_task_backend, "clear"):
        default_task_backend.clear()
    hits.reset_schedule()


@pytest.fixture
def creator(db):
    return UserFactory(username="hugo")


@pytest.fixture
def work(creator):
    return WorkFactory(creator=creator.pseuds.get(is_default=True), title="Les Misérables")


def reader(ip="203.0.113.5", ua=FIREFOX, user=None):
    """A browser from `ip` (logged in as `user` if given)."""
    client = Client(HTTP_USER_AGENT=ua, REMOTE_ADDR=ip)
    if user is not None:
        client.force_login(user)
    return client
