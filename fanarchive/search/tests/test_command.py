"""`fanarchive search`: the query CLI and the reindex subcommand."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fanarchive.search import text as fulltext
from fanarchive.tags.models import TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.filters import work_filters_recompute
from fanarchive.works.tests.factories import WorkFactory


def run(*args):
    out = StringIO()
    call_command("search", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def works(db):
    fluff = TagFactory(name="Fluff", canonical=True)
    fandom = TagFactory(name="Les Mis", type=TagType.FANDOM, canonical=True)
    a = WorkFactory(tags=[fluff, fandom], title="Barricade days", text="red and black")
    b = WorkFactory(tags=[fandom], title="Other", restricted=True)
    c = WorkFactory(tags=[fandom], title="Third", text="the red flag")
    work_filters_recompute(work_ids=[a.id, b.id, c.id])
    run("reindex")
    return a, b, c


def test_json_shape(works):
    a, _b, c = works
    payload = json.loads(run("--json"))
    assert payload["total"] == 2 and payload["page"] == 1  # guests: no restricted work
    assert [w["id"] for w in payload["works"]] == [c.id, a.id]
    assert set(payload["works"][0]) == {
        "id",
        "title",
        "creators",
        "rating",
        "words",
        "chapters",
        "kudos",
        "hits",
        "comments",
        "bookmarks",
        "updated",
    }
    row = payload["works"][1]
    assert (row["title"], row["rating"], row["chapters"], row["updated"]) == (
        "Barricade days",
        "General Audiences",
        "1/1",
        "2024-01-01",
    )
    assert list(payload["facets"]) == [
        "rating",
        "warning",
        "category",
        "fandom",
        "relationship",
        "character",
        "freeform",
    ]
    assert payload["facets"]["fandom"] == [{"name": "Les Mis", "count": 2}]


def test_filters_and_text(works):
    a, _b, c = works
    assert [w["id"] for w in json.loads(run("--include", "fluff", "--json"))["works"]] == [a.id]
    assert json.loads(run("--exclude", "Fluff", "--json"))["total"] == 1
    assert [w["id"] for w in json.loads(run("--q", "red -black", "--json"))["works"]] == [c.id]
    assert [w["id"] for w in json.loads(run("red", "flag", "--json"))["works"]] == [c.id]
    grouped = json.loads(run("--any", "Fluff", "--any", "Les Mis", "--json"))
    assert grouped["total"] == 2
    assert json.loads(run("--sort", "title", "--json"))["works"][0]["id"] == a.id
    assert "1–2 of 2 works" in run()  # noqa: RUF001


def test_unknown_tag_is_a_clear_error(works):
    with pytest.raises(CommandError, match="No such tag: 'Nope'"):
        run("--include", "Nope")
    with pytest.raises(CommandError, match="sort"):
        run("--sort", "sideways")


def test_reindex_subcommand(works):
    assert fulltext.indexed_count() == 3
    out = run("rebuild-text", "--batch-size", "1")
    assert "Indexed 3 works" in out
    assert fulltext.indexed_count() == 3
