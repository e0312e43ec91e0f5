import factory

from fanarchive.accounts.models import Pseud, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery")

    @factory.post_generation
    def default_pseud(self, create, extracted, **kwargs):
        if create:
            Pseud.objects.get_or_create(
                user=self, name=self.username, defaults={"is_default": True}
            )


class PseudFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pseud

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Pseud {n}")
