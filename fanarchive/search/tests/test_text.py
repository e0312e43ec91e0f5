"""Full-text search: matching, fields, negation, ranking, snippets, and the index kept current."""

import pytest
from django.contrib.auth.models import AnonymousUser

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.core.text import text_to_html
from fanarchive.search import text as fulltext
from fanarchive.search.query import WorkQuery
from fanarchive.search.selectors import search_works
from fanarchive.search.services import search_text_rebuild
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.models import Chapter, Work
from fanarchive.works.signals import works_changed, works_deleted
from fanarchive.works.tests.factories import WorkFactory


def find(text, **fields):
    query = WorkQuery(text=text, **fields)
    return search_works(query=query, viewer=AnonymousUser())


@pytest.fixture
def shelf(db):
    author = UserFactory(username="rinwrites")
    works = {
        "dragon": WorkFactory(
            title="Winter Dragons",
            text="Snow fell.\n\nThe old dragon slept beneath the mountain, dreaming of gold.",
            creator=author.pseuds.get(),
        ),
        "found": WorkFactory(
            title="Home",
            summary="<p>A story of found family and a dragon.</p>",
            text="They found each other. Family is what you make it.",
            tags=[TagFactory(name="Found Family", canonical=True)],
        ),
        "body": WorkFactory(
            title="Nothing Here",
            text="A family of otters. Somewhere, far off, a dragon roared once.",
        ),
    }
    search_text_rebuild()
    return works


def ids(results):
    return set(results.ids)


def test_words_phrases_and_negation(shelf):
    assert ids(find("dragon")) == {shelf["dragon"].id, shelf["found"].id, shelf["body"].id}
    assert ids(find("DRAGON family")) == {shelf["found"].id, shelf["body"].id}
    assert ids(find('"found family"')) == {shelf["found"].id}
    assert ids(find("dragon -family")) == {shelf["dragon"].id}
    assert ids(find('-"found family"')) == {shelf["dragon"].id, shelf["body"].id}
    assert ids(find("drag*")) == {w.id for w in shelf.values()}
    assert ids(find("unicorn")) == set()


def test_field_terms(shelf):
    assert ids(find("title:dragons")) == {shelf["dragon"].id}
    assert ids(find("creator:rinwrites")) == {shelf["dragon"].id}
    assert ids(find('tag:"found family"')) == {shelf["found"].id}
    assert ids(find("summary:dragon")) == {shelf["found"].id}
    assert ids(find("-title:dragons dragon")) == {shelf["found"].id, shelf["body"].id}


def test_best_match_puts_title_and_tags_above_body(shelf):
    results = find("dragon dragons")
    assert results.ids == [shelf["dragon"].id]
    ranked = find("dragon").ids
    assert ranked[0] == shelf["found"].id  # in the summary; the others only in body text
    assert find("dragons").ids == [shelf["dragon"].id]  # no stemming: the title's word
    assert find("family").ids[0] == shelf["found"].id  # in a tag and the summary


def test_snippets_show_the_passage_that_matched(shelf):
    results = find("mountain")
    snippet = results.snippets[shelf["dragon"].id]
    assert "<mark>mountain</mark>" in snippet
    assert "<p>" not in snippet  # the index holds plain text
    assert find("-mountain").snippets == {}


def test_snippets_escape_html(db):
    work = WorkFactory(text="needle <script>alert(1)</script> needle")
    search_text_rebuild()
    snippet = find("needle").snippets[work.id]
    assert "<mark>needle</mark>" in snippet
    assert "<script>" not in snippet and "alert(1)" in snippet  # escaped, or dropped by PG


def test_text_words_that_are_not_words_are_ignored(shelf):
    assert ids(find('!!! "" - * title:')) == {w.id for w in shelf.values()}


def test_index_follows_works_changed_and_deleted(db):
    work = WorkFactory(title="Quiet", text="nothing to see")
    works_changed.send(sender=None, work_ids=[work.id])
    assert find("zeppelin").ids == []
    chapter = Chapter.objects.get(work=work)
    chapter.text = text_to_html("A zeppelin drifted by.")
    chapter.save()
    Work.objects.filter(pk=work.pk).update(title="Loud")
    works_changed.send(sender=None, work_ids=[work.id])
    assert find("zeppelin").ids == [work.id]
    assert find("title:loud").ids == [work.id] and find("quiet").ids == []
    works_deleted.send(sender=None, work_ids=[work.id])
    work.delete()
    assert fulltext.indexed_count() == 0


def test_unposted_chapters_are_not_indexed(db):
    work = WorkFactory(text="first chapter")
    Chapter.objects.create(
        work=work,
        position=2,
        text="<p>secret draft words</p>",
        published=work.published,
        posted=False,
    )
    works_changed.send(sender=None, work_ids=[work.id])
    assert find("secret").ids == [] and find("first").ids == [work.id]


def test_restricted_works_are_not_found_by_guests(db):
    work = WorkFactory(title="Hidden treasure", restricted=True)
    search_text_rebuild()
    assert find("treasure").total == 0
    reader = UserFactory()
    assert search_works(query=WorkQuery(text="treasure"), viewer=reader).ids == [work.id]
