"""A deleted pseud's works move to the account's default pseud, and search hears of it."""

import pytest

from fanarchive.accounts import services
from fanarchive.accounts.tests.factories import PseudFactory, UserFactory
from fanarchive.works.models import Creatorship
from fanarchive.works.signals import works_changed
from fanarchive.works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_pseud_moves_its_works_and_announces_them():
    user = UserFactory(username="cosette")
    lark = PseudFactory(user=user, name="Lark")
    default = user.default_pseud()
    alone = WorkFactory(creator=lark)
    shared = WorkFactory(creator=lark)
    Creatorship.objects.create(work=shared, pseud=default, position=1)
    untouched = WorkFactory(creator=default)
    heard: list[list[int]] = []

    def listen(sender, work_ids, **kwargs):
        # Receivers run after the move: the works already credit the default pseud.
        assert not Creatorship.objects.filter(pseud=lark).exists()
        heard.append(sorted(work_ids))

    works_changed.connect(listen)
    try:
        services.pseud_delete(pseud=lark)
    finally:
        works_changed.disconnect(listen)
    assert heard == [sorted([alone.pk, shared.pk])]
    assert list(alone.creatorships.values_list("pseud_id", flat=True)) == [default.pk]
    assert list(shared.creatorships.values_list("pseud_id", flat=True)) == [default.pk]
    assert list(untouched.creatorships.values_list("pseud_id", flat=True)) == [default.pk]


def test_deleting_a_pseud_without_works_announces_nothing():
    user = UserFactory(username="eponine")
    lark = PseudFactory(user=user, name="Lark")
    heard: list[list[int]] = []

    def listen(sender, work_ids, **kwargs):
        heard.append(list(work_ids))

    works_changed.connect(listen)
    try:
        services.pseud_delete(pseud=lark)
    finally:
        works_changed.disconnect(listen)
    assert heard == []
