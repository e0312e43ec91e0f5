"""`works_create_bulk` with as many works as an import batch: on PostgreSQL the works and
chapters go by COPY (from works.services.COPY_FROM rows on), and must be stored exactly as
one-by-one `work_create` stores them, all or nothing."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from fanarchive.accounts.tests.factories import PseudFactory
from fanarchive.works import services
from fanarchive.works.models import Chapter, Work, WorkStats
from fanarchive.works.services import ChapterDraft, WorkDraft, work_create, works_create_bulk

pytestmark = pytest.mark.django_db
COUNT = services.COPY_FROM + 5


def draft(i, pseud):
    return WorkDraft(
        title=f"Work {i}",
        creators=[pseud],
        chapters=[
            ChapterDraft(text=f"<p>First {i} &amp; tab\there.</p>", title="One"),
            ChapterDraft(text="<p>Second \\ back\\slash, new\nline</p>", summary="<p>s</p>"),
        ],
        published=datetime.date(2020, 1, 1),
        updated=datetime.date(2020, 2, i % 28 + 1),
        summary=f"<p>Summary {i}</p>",
        expected_chapters=None if i % 2 else 3,
        complete=bool(i % 3),
        source_header={"Work ID": str(i), "odd": ["a", None]} if i % 2 else None,
    )


def stored():
    skip = {"id", "created_at", "modified_at"}
    works = [
        {k: v for k, v in row.items() if k not in skip}
        for row in Work.objects.order_by("title").values()
    ]
    chapters = [
        {k: v for k, v in row.items() if k not in skip | {"work_id"}}
        for row in Chapter.objects.order_by("work__title", "position").values()
    ]
    return works, chapters


@pytest.mark.parametrize("with_ids", [True, False])
def test_bulk_rows_equal_one_by_one(with_ids):
    pseud = PseudFactory()
    results = []
    for bulk in (False, True):
        with transaction.atomic():
            drafts = [(1000 + i if with_ids else None, draft(i, pseud)) for i in range(COUNT)]
            if bulk:
                ids = works_create_bulk(drafts=drafts)
            else:
                ids = [work_create(draft=d, work_id=work_id).pk for work_id, d in drafts]
            assert len(set(ids)) == COUNT
            if with_ids:
                assert ids == [1000 + i for i in range(COUNT)]
            assert WorkStats.objects.filter(work_id__in=ids).count() == COUNT
            assert not Work.objects.filter(pk__in=ids, created_at__isnull=True).exists()
            assert not Chapter.objects.filter(work_id__in=ids, modified_at__isnull=True).exists()
            results.append(stored())
            transaction.set_rollback(True)
    assert results[0] == results[1]
    assert len(results[1][1]) == 2 * COUNT
    assert results[1][1][0]["text"] == "<p>First 0 &amp; tab\there.</p>"


def test_a_taken_id_fails_the_whole_bulk_and_leaves_nothing():
    pseud = PseudFactory()
    work_create(draft=draft(0, pseud), work_id=1010)
    before = (Work.objects.count(), Chapter.objects.count(), WorkStats.objects.count())
    with pytest.raises(IntegrityError), transaction.atomic():
        works_create_bulk(drafts=[(1000 + i, draft(i, pseud)) for i in range(COUNT)])
    assert (Work.objects.count(), Chapter.objects.count(), WorkStats.objects.count()) == before
    # And the ids are free again for a bulk that does not collide.
    assert works_create_bulk(drafts=[(2000 + i, draft(i, pseud)) for i in range(COUNT)])[0] == 2000
