"""Fixtures for the posting tests: writers, their logged-in clients, a valid work form."""

import pytest
from django.test import Client

from fanarchive.accounts.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _tasks_recorded(settings):
    # Scheduled posting enqueues with run_after: the dummy backend records what was queued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    yield
    if hasattr(default_task_backend, "clear"):  # a test may switch to another backend
        default_task_backend.clear()


@pytest.fixture
def writer(db):
    return UserFactory(username="hugo")


@pytest.fixture
def writer_client(writer):
    client = Client()
    client.force_login(writer)
    return client


@pytest.fixture
def other(db):
    return UserFactory(username="dumas")


@pytest.fixture
def other_client(other):
    client = Client()
    client.force_login(other)
    return client


def form_data(**changes):
    """A valid Post New Work submission; `changes` override or (None) remove fields."""
    data = {
        "rating": "Teen And Up Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "categories": ["Gen"],
        "fandoms": "Les Misérables - Victor Hugo",
        "relationships": "Javert/Jean Valjean",
        "characters": "Javert, Jean Valjean",
        "freeforms": "Rooftops, Redemption",
        "title": "The Barricade at Dawn",
        "summary": "Two men and a city.",
        "notes": "",
        "end_notes": "",
        "language": "en",
        "series_existing": "",
        "series_title": "",
        "series_position": "",
        "expected_chapters": "1",
        "co_creators": "",
        "comment_permission": "everyone",
        "chapter_title": "",
        "text_format": "plain",
        "chapter_text": "The lamps were lit one by one.\n\nThen the barricade fell silent.",
        "publish_at": "",
        "action": "post",
    }
    if "pseuds" not in changes:
        from fanarchive.accounts.models import Pseud

        default = Pseud.objects.filter(user__username="hugo", is_default=True).first()
        data["pseuds"] = [str(default.pk)] if default else []
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


@pytest.fixture
def valid():
    return form_data
