import pytest

from fanarchive.tags.fixed import CATEGORIES, RATINGS, WARNINGS, resolve_fixed
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.names import tag_from_url, tag_key, tag_name_problem, tag_to_url


@pytest.mark.django_db
def test_ratings_warnings_and_categories_exist_from_the_first_migration():
    for tag_type, names in [
        (TagType.RATING, RATINGS),
        (TagType.WARNING, WARNINGS),
        (TagType.CATEGORY, CATEGORIES),
    ]:
        stored = set(
            Tag.objects.filter(type=tag_type, canonical=True).values_list("name", flat=True)
        )
        assert stored == set(names)
    assert Tag.objects.filter(type=TagType.RATING).count() == 5
    assert Tag.objects.filter(type=TagType.WARNING).count() == 6
    assert Tag.objects.filter(type=TagType.CATEGORY).count() == 6


def test_the_dump_spelling_of_the_warning_resolves():
    assert (
        resolve_fixed(TagType.WARNING, "Choose Not To Use Archive Warnings")
        == "Creator Chose Not To Use Archive Warnings"
    )
    assert resolve_fixed(TagType.RATING, "teen and up audiences") == "Teen And Up Audiences"
    assert resolve_fixed(TagType.RATING, "PG-13") is None


@pytest.mark.parametrize("char", list(",^*<>{}=`\\%"))
def test_forbidden_characters_are_refused(char):
    assert "cannot contain" in tag_name_problem(f"Fluff {char} Angst")


def test_names_longer_than_150_characters_are_refused():
    assert tag_name_problem("x" * 150) is None
    assert "at most 150" in tag_name_problem("x" * 151)


def test_keys_ignore_case_and_spacing():
    assert tag_key("Alternate  Universe") == tag_key("alternate universe")


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("Javert/Jean Valjean", "Javert*s*Jean%20Valjean"),
        ("Javert & Jean Valjean", "Javert%20*a*%20Jean%20Valjean"),
        ("Mr. Darcy?", "Mr*d*%20Darcy*q*"),
        ("#coulsonlives", "*h*coulsonlives"),
    ],
)
def test_tag_urls_use_ao3_escapes(name, url):
    assert tag_to_url(name) == url
    from urllib.parse import unquote

    assert tag_from_url(unquote(url)) == name


@pytest.mark.django_db(transaction=True)
def test_fixed_tags_come_back_after_a_flush():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert Tag.objects.filter(type=TagType.RATING).count() == 5
    assert Tag.objects.filter(type=TagType.WARNING).count() == 6
    assert Tag.objects.filter(type=TagType.CATEGORY).count() == 6
