"""The demo written to the database (SQLite or PostgreSQL, whichever the run uses)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q, Sum

from fanarchive.accounts.models import Pseud, User
from fanarchive.core.text import count_words
from fanarchive.demo.loader import demo_build
from fanarchive.demo.vocabulary import LES_MIS
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import (
    Chapter,
    Creatorship,
    Series,
    SeriesWork,
    Work,
    WorkStats,
    WorkTag,
)
from fanarchive.works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        "works": list(
            Work.objects.order_by("id").values_list(
                "id", "title", "word_count", "published", "restricted"
            )
        ),
        "tags": list(WorkTag.objects.order_by("id").values_list("id", "work_id", "tag__name")),
        "creators": list(
            Creatorship.objects.order_by("id").values_list(
                "work_id", "pseud__name", "pseud__user__username"
            )
        ),
        "chapters": list(Chapter.objects.order_by("id").values_list("id", "work_id", "text")),
    }


def wipe() -> None:
    Work.objects.all().delete()
    Series.objects.all().delete()
    User.objects.all().delete()
    Tag.objects.exclude(type__in=TagType.fixed()).delete()


def test_same_seed_gives_the_same_archive_in_a_fresh_database():
    demo_build(works=60, seed=4)
    first = snapshot()
    wipe()
    demo_build(works=60, seed=4)
    assert snapshot() == first
    wipe()
    demo_build(works=60, seed=5)
    assert snapshot()["works"] != first["works"]


def test_the_archive_is_valid_and_complete():
    result = demo_build(works=250, seed=2)
    assert result.rows["works_work"] == Work.objects.count() == 250
    assert result.rows["works_chapter"] == Chapter.objects.count()
    assert WorkStats.objects.count() == 250
    assert SeriesWork.objects.exists() and Series.objects.exists()
    connection.check_constraints()  # every foreign key points at a row

    # Every work: a rating, at least one warning, a fandom, a creator, consistent counts.
    works = Work.objects.annotate(
        ratings=Count("work_tags", filter=Q(work_tags__tag__type=TagType.RATING)),
        warnings=Count("work_tags", filter=Q(work_tags__tag__type=TagType.WARNING)),
        fandoms=Count("work_tags", filter=Q(work_tags__tag__type=TagType.FANDOM)),
    )
    for work in works:
        assert work.ratings == 1 and work.warnings >= 1 and work.fandoms >= 1
    chapters = dict(
        Chapter.objects.values("work")
        .annotate(n=Count("id"), w=Sum("word_count"))
        .values_list("work", "n")
    )
    words = dict(
        Chapter.objects.values("work").annotate(w=Sum("word_count")).values_list("work", "w")
    )
    for work in Work.objects.all():
        assert work.chapter_count == chapters[work.id]
        assert work.word_count == words[work.id]
    for chapter in Chapter.objects.all()[:300]:
        assert chapter.word_count == count_words(chapter.text)
    assert not Work.objects.filter(creatorships__isnull=True).exists()

    # Accounts: one default pseud named as the login, no usable password.
    for user in User.objects.prefetch_related("pseuds"):
        defaults = [p for p in user.pseuds.all() if p.is_default]
        assert [p.name for p in defaults] == [user.username]
        assert not user.has_usable_password()
    assert Pseud.objects.filter(is_default=False).exists()

    # Drafts, hidden and restricted works exist, so visibility matters.
    assert Work.objects.filter(posted=False).exists()
    assert Work.objects.filter(hidden_by_admin=True).exists()


def test_synonyms_point_at_canonical_tags_of_the_same_type():
    demo_build(works=50, seed=1)
    synonyms = Tag.objects.filter(merger__isnull=False).select_related("merger")
    assert synonyms.count() >= 50
    for tag in synonyms:
        assert tag.merger.canonical and tag.merger.type == tag.type and not tag.canonical
    assert Tag.objects.get(name="Les Miserables").merger.name == LES_MIS
    assert Tag.objects.filter(canonical=False, merger__isnull=True).exists()  # to wrangle


def test_indexes_and_uniques_are_all_there_after_the_load():
    tables = ("works_work", "works_chapter", "works_worktag", "works_creatorship")

    def constraints():
        with connection.cursor() as cursor:
            return {t: sorted(connection.introspection.get_constraints(cursor, t)) for t in tables}

    before = constraints()
    demo_build(works=80, seed=6)
    assert constraints() == before
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError, whatever the vendor
        from django.db import transaction

        with transaction.atomic():
            first = WorkTag.objects.order_by("id").first()
            WorkTag.objects.create(work_id=first.work_id, tag_id=first.tag_id, position=99)


def test_later_inserts_do_not_collide_with_loaded_ids():
    demo_build(works=40, seed=1)
    highest = Work.objects.order_by("-id").first().id
    work = WorkFactory()
    assert work.id > highest
    assert Tag.objects.create(name="A brand new tag", key="a brand new tag", type="freeform").id


def test_command_if_empty_does_nothing_on_a_non_empty_archive():
    out = StringIO()
    call_command("demo", works=30, seed=1, stdout=out)
    assert Work.objects.count() == 30
    assert "Done in" in out.getvalue()
    out = StringIO()
    call_command("demo", works=30, if_empty=True, stdout=out)
    assert "already has works" in out.getvalue()
    assert Work.objects.count() == 30


def test_command_refuses_a_non_empty_archive_unless_appending():
    WorkFactory()
    with pytest.raises(CommandError, match="--append"):
        call_command("demo", works=20, stdout=StringIO())
    assert Work.objects.count() == 1
    call_command("demo", works=20, seed=1, append=True, stdout=StringIO())
    call_command("demo", works=20, seed=1, append=True, stdout=StringIO())
    assert Work.objects.count() == 41
    usernames = list(User.objects.values_list("username", flat=True))
    assert len(usernames) == len(set(usernames))
    connection.check_constraints()


def test_command_on_an_empty_archive_with_if_empty_builds_it():
    call_command("demo", works=25, if_empty=True, stdout=StringIO())
    assert Work.objects.count() == 25


@pytest.mark.django_db(transaction=True)
def test_demo_works_are_filtered_under_their_canonical_tags_and_metatags():
    from fanarchive.tags.models import MetaTagging, ParentTagging
    from fanarchive.works.filters import work_filters_recompute
    from fanarchive.works.models import WorkFilter

    demo_build(works=120, seed=3)
    assert ParentTagging.objects.exists()
    assert MetaTagging.objects.exists()
    built = set(WorkFilter.objects.values_list("work_id", "tag_id"))
    assert built
    WorkFilter.objects.all().delete()
    work_filters_recompute(work_ids=Work.objects.values_list("pk", flat=True))
    assert set(WorkFilter.objects.values_list("work_id", "tag_id")) == built


@pytest.mark.django_db
def test_the_text_index_can_be_left_for_later_and_says_so():
    out = StringIO()
    call_command("demo", works=40, text_index="no", stdout=out)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM search_worktext")
        assert cursor.fetchone()[0] == 0
    assert "fanarchive search reindex" in out.getvalue()
    call_command("search", "reindex", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM search_worktext")
        assert cursor.fetchone()[0] == 40
