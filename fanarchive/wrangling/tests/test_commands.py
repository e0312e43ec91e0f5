"""`fanarchive wrangle infer-fandoms`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fanarchive.tags.models import TagType
from fanarchive.works.models import WorkTag
from fanarchive.works.tests.factories import WorkFactory

from .conftest import fandom, parent, tag

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("wrangle", *args, stdout=out)
    return out.getvalue()


def has_fandom(work):
    return WorkTag.objects.filter(work=work, tag__type=TagType.FANDOM).exists()


@pytest.fixture
def works():
    lm, go = fandom("Les Misérables"), fandom("Good Omens")
    javert = parent(tag("Javert", canonical=True), lm)
    crowley = parent(tag("Crowley", canonical=True), go)
    return {
        "one": WorkFactory(tags=[javert]),
        "two": WorkFactory(tags=[javert]),
        "cross": WorkFactory(tags=[javert, crowley]),
        "none": WorkFactory(tags=[tag("Someone")]),
    }


def test_infer_fandoms_for_all_works(works):
    out = run("infer-fandoms", "--all")
    assert "2 works got a fandom." in out
    assert "2 still need one (1 with several candidate fandoms, 1 with none)." in out
    assert has_fandom(works["one"]) and has_fandom(works["two"])
    assert not has_fandom(works["cross"]) and not has_fandom(works["none"])
    assert "0 works got a fandom." in run("infer-fandoms", "--all")


def test_infer_fandoms_for_some_works(works):
    out = run("infer-fandoms", "--work", str(works["one"].pk), str(works["none"].pk))
    assert "1 work got a fandom." in out
    assert "1 still need one (0 with several candidate fandoms, 1 with none)." in out
    assert not has_fandom(works["two"])


def test_infer_fandoms_needs_a_choice_and_real_works(works):
    with pytest.raises(CommandError):
        run("infer-fandoms")
    with pytest.raises(CommandError, match="No work with id 999999"):
        run("infer-fandoms", "--work", "999999")
