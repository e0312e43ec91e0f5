"""Fixtures for the history tests (helpers.py has the shared makers)."""

from __future__ import annotations

import pytest

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.bookmarks.tests.helpers import logged_in, make_work


@pytest.fixture
def reader(db):
    return UserFactory(username="cosette")


@pytest.fixture
def reader_client(reader):
    return logged_in(reader)


@pytest.fixture
def other(db):
    return UserFactory(username="eponine")


@pytest.fixture
def other_client(other):
    return logged_in(other)


@pytest.fixture
def writer(db):
    return UserFactory(username="hugo")


@pytest.fixture
def work(writer):
    return make_work("The Barricade", creator=writer)
