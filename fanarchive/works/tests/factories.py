import datetime

import factory

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.core.text import count_words, text_to_html
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import Chapter, Creatorship, Work, WorkStats, WorkTag


class WorkFactory(factory.django.DjangoModelFactory):
    """A posted single-chapter work rated General Audiences by a new account.

    `WorkFactory(tags=[tag, …], creator=pseud, text="…")` sets what a test cares about.
    """

    class Meta:
        model = Work
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Work {n}")
    language = "en"
    complete = True
    expected_chapters = 1
    published = factory.LazyFunction(lambda: datetime.date(2024, 1, 1))
    updated = factory.LazyAttribute(lambda w: w.published)
    posted = True

    @factory.post_generation
    def creator(self, create, extracted, **kwargs):
        pseud = extracted or UserFactory().pseuds.get(is_default=True)
        Creatorship.objects.create(work=self, pseud=pseud, position=0)

    @factory.post_generation
    def text(self, create, extracted, **kwargs):
        html = text_to_html(extracted or "The lamps on the Rue Plumet were lit one by one.")
        chapter = Chapter.objects.create(
            work=self, position=1, text=html, word_count=count_words(html), published=self.published
        )
        self.chapter_count = 1
        self.word_count = chapter.word_count
        self.save(update_fields=["chapter_count", "word_count"])
        WorkStats.objects.get_or_create(work=self)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        tags = list(extracted or [])
        if not any(t.type == TagType.RATING for t in tags):
            tags.insert(0, Tag.objects.get(name="General Audiences"))
        if not any(t.type == TagType.WARNING for t in tags):
            tags.insert(1, Tag.objects.get(name="No Archive Warnings Apply"))
        WorkTag.objects.bulk_create(
            WorkTag(work=self, tag=tag, position=i) for i, tag in enumerate(tags)
        )
