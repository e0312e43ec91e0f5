"""Bookmark writes: one per reader per item, notes sanitized and limited, tags by AO3's name
rules, and the work's public bookmark count kept right on every change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.bookmarks.models import Bookmark, BookmarkTag
from fanarchive.bookmarks.services import (
    BookmarkData,
    bookmark_delete,
    bookmark_save,
    bookmark_update,
    parse_bookmark_tags,
)
from fanarchive.works.models import Series, WorkStats

from .helpers import make_work

pytestmark = pytest.mark.django_db


def count(work) -> int:
    return WorkStats.objects.get(work=work).bookmarks


def data(user, **changes) -> BookmarkData:
    return BookmarkData(pseud=user.pseuds.get(is_default=True), **changes)


def test_a_public_bookmark_counts_once_and_keeps_notes_and_tags(reader, work):
    bookmark, created = bookmark_save(
        user=reader,
        work=work,
        data=data(reader, notes="<p>Lovely <script>alert(1)</script></p>", tags="Fluff, to reread"),
    )
    assert created
    assert "<script" not in bookmark.notes and "Lovely" in bookmark.notes
    assert [t.name for t in bookmark.tags.all()] == ["Fluff", "to reread"]
    assert count(work) == 1


def test_bookmarking_twice_edits_the_one_bookmark(reader, work):
    bookmark_save(user=reader, work=work, data=data(reader, notes="first"))
    second, created = bookmark_save(user=reader, work=work, data=data(reader, notes="second"))
    assert not created
    assert Bookmark.objects.filter(user=reader, work=work).count() == 1
    assert "second" in second.notes
    assert count(work) == 1


def test_a_private_bookmark_is_never_counted_and_toggling_moves_the_count(reader, work):
    bookmark, _ = bookmark_save(user=reader, work=work, data=data(reader, private=True))
    assert count(work) == 0
    bookmark_update(bookmark=bookmark, user=reader, data=data(reader, private=False))
    assert count(work) == 1
    bookmark_update(bookmark=bookmark, user=reader, data=data(reader, private=True))
    assert count(work) == 0
    bookmark_update(bookmark=bookmark, user=reader, data=data(reader, private=True, rec=True))
    assert count(work) == 0


def test_deleting_takes_a_public_bookmark_out_of_the_count_only(reader, other, work):
    public, _ = bookmark_save(user=reader, work=work, data=data(reader))
    private, _ = bookmark_save(user=other, work=work, data=data(other, private=True))
    assert count(work) == 1
    bookmark_delete(bookmark=private, user=other)
    assert count(work) == 1
    bookmark_delete(bookmark=public, user=reader)
    assert count(work) == 0
    bookmark_delete(bookmark=public, user=reader)  # a second click changes nothing
    assert count(work) == 0


def test_only_the_owner_edits_or_deletes(reader, other, work):
    bookmark, _ = bookmark_save(user=reader, work=work, data=data(reader))
    with pytest.raises(ValidationError):
        bookmark_update(bookmark=bookmark, user=other, data=data(other))
    with pytest.raises(ValidationError):
        bookmark_delete(bookmark=bookmark, user=other)
    assert count(work) == 1


def test_a_pseud_of_someone_else_is_refused(reader, other, work):
    with pytest.raises(ValidationError, match="not one of yours"):
        bookmark_save(user=reader, work=work, data=data(other))
    assert not Bookmark.objects.exists()


def test_notes_over_5000_characters_are_refused(reader, work):
    with pytest.raises(ValidationError, match="5,000"):
        bookmark_save(user=reader, work=work, data=data(reader, notes="x" * 5001))
    bookmark, _ = bookmark_save(user=reader, work=work, data=data(reader, notes="x" * 5000))
    assert "x" * 5000 in bookmark.notes


def test_tags_follow_ao3_name_rules_and_are_deduplicated_by_key():
    assert parse_bookmark_tags(" Fluff ,fluff, FLUFF,  slow   burn ,, ") == ["Fluff", "slow burn"]
    with pytest.raises(ValidationError, match="cannot contain"):
        parse_bookmark_tags("good, bad*tag")
    with pytest.raises(ValidationError, match="at most 150"):
        parse_bookmark_tags("a" * 151)
    with pytest.raises(ValidationError, match="at most 75"):
        parse_bookmark_tags(", ".join(f"tag {n}" for n in range(76)))


def test_editing_replaces_the_tags(reader, work):
    bookmark, _ = bookmark_save(user=reader, work=work, data=data(reader, tags="a, b"))
    bookmark_update(bookmark=bookmark, user=reader, data=data(reader, tags="b, c"))
    assert list(BookmarkTag.objects.filter(bookmark=bookmark).values_list("name", flat=True)) == [
        "b",
        "c",
    ]


def test_a_series_bookmark_counts_on_no_work(reader, writer):
    first = make_work("Part One", creator=writer, series=("The Lamps", 1))
    series = Series.objects.get(title="The Lamps")
    bookmark, created = bookmark_save(user=reader, series=series, data=data(reader))
    assert created and bookmark.series_id == series.pk and bookmark.work_id is None
    assert count(first) == 0
    again, created = bookmark_save(user=reader, series=series, data=data(reader, rec=True))
    assert not created and again.pk == bookmark.pk and again.rec


def test_a_bookmark_is_of_exactly_one_item(reader, work):
    with pytest.raises(ValueError):
        bookmark_save(user=reader, data=data(reader))


def test_many_readers_count_independently(work):
    readers = [UserFactory() for _ in range(3)]
    for user in readers:
        bookmark_save(user=user, work=work, data=data(user))
    assert count(work) == 3


def test_a_deleted_account_takes_its_public_bookmarks_out_of_the_counts(reader, other, work):
    bookmark_save(user=reader, work=work, data=data(reader))
    bookmark_save(user=other, work=work, data=data(other, private=True))
    assert count(work) == 1
    other.delete()
    assert count(work) == 1
    reader.delete()
    assert count(work) == 0
