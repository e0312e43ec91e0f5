import factory

from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.names import tag_key


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("key",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    key = factory.LazyAttribute(lambda t: tag_key(t.name))
    type = TagType.FREEFORM
    canonical = False
