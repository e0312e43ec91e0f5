"""WorkQuery from GET parameters and back, and the search box's language."""

import datetime

from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from fanarchive.search.query import MAX_NUMBER, WorkQuery
from fanarchive.search.text.parser import Setting, Term, parse_text, render_terms


def parse(qs):
    return WorkQuery.from_params(QueryDict(qs))


def test_parser_examples():
    parsed = parse_text('dragons "found  family" -angst title:winter creator:"rin w" words>1000')
    assert parsed.terms == (
        Term("dragons"),
        Term("found family", phrase=True),
        Term("angst", negated=True),
        Term("winter", field="title"),
        Term("rin w", phrase=True, field="creators"),
    )
    assert parsed.settings == (Setting("words", ">", 1000),)
    assert parse_text("kudos:10-5 complete:yes sort:kudos").settings == (
        Setting("kudos", "range", (5, 10)),
        Setting("complete", "bool", True),
        Setting("sort", "sort", "kudos"),
    )
    # Not settings: they stay words.
    assert [t.text for t in parse_text("words>lots complete:maybe foo:bar").terms] == [
        "words>lots",
        "complete:maybe",
        "foo:bar",
    ]
    assert parse_text("drag*").terms == (Term("drag", prefix=True),)


@given(st.text())
@settings(max_examples=300)
def test_parser_never_crashes_and_round_trips(box):
    parsed = parse_text(box)
    again = parse_text(render_terms(parsed.terms))
    assert again.terms == parsed.terms and again.settings == ()


def test_from_params_reads_every_field():
    query, problems = parse(
        "tag=Fluff&other_tags=Angst,+Hurt/Comfort&exclude=Smut&any=A,B&any=C&rating=Mature"
        "&warning=No+Archive+Warnings+Apply&category=F/F&complete=yes&crossover=no"
        "&single_chapter=1&words_from=1,000&words_to=5000&kudos_from=10&hits_to=99"
        "&comments_from=1&bookmarks_to=3&posted_from=2020-01-01&updated_to=2024-12-31"
        "&language=Français&max_fandoms=2&max_relationships=1&max_characters=4&max_tags=9"
        "&q=dragons&sort=kudos&order=asc&page=3&show_excluded=1"
    )
    assert problems == []
    assert query == WorkQuery(
        include=("Fluff", "Angst", "Hurt/Comfort"),
        exclude=("Smut",),
        any_of=(("A", "B"), ("C",)),
        ratings=("Mature",),
        warnings=("No Archive Warnings Apply",),
        categories=("F/F",),
        complete=True,
        crossover=False,
        single_chapter=True,
        words_from=1000,
        words_to=5000,
        kudos_from=10,
        hits_to=99,
        comments_from=1,
        bookmarks_to=3,
        posted_from=datetime.date(2020, 1, 1),
        updated_to=datetime.date(2024, 12, 31),
        language="fr",
        max_fandoms=2,
        max_relationships=1,
        max_characters=4,
        max_tags=9,
        text="dragons",
        sort="kudos",
        descending=False,
        page=3,
        show_excluded=True,
    )
    assert WorkQuery.from_params(QueryDict(query.to_querystring())) == (query, [])


def test_bad_values_are_ignored_or_clamped_and_reported():
    query, problems = parse(
        "words_from=lots&kudos_to=-5&hits_from=99999999999&posted_from=yesterday&complete=maybe"
        "&sort=popularity&order=sideways&page=-3&language=Klingonese&tag=Fluff&tag=fluff"
    )
    assert query == WorkQuery(include=("Fluff",), kudos_to=0, hits_from=MAX_NUMBER, page=1)
    assert len(problems) == 9
    assert any("words_from" in p for p in problems)


def test_ao3_syntax_in_the_box_becomes_fields():
    query, _ = parse(
        "q=dragons+words>1000+kudos<=10+hits:5-50+complete:false+crossover:yes"
        "+sort:title&words_from=5"
    )
    assert query.text == "dragons"
    assert (query.words_from, query.kudos_to, query.hits_from, query.hits_to) == (1001, 10, 5, 50)
    assert (query.complete, query.crossover, query.sort, query.descending) == (
        False,
        True,
        "title",
        False,
    )


def test_sort_defaults_and_aliases():
    assert parse("sort=title")[0].descending is False
    assert parse("sort=revised_at")[0].sort == "updated"
    assert parse("")[0] == WorkQuery()
    assert WorkQuery().to_params() == []


names = (
    st.text(alphabet="abcXYZ /&.é", min_size=1, max_size=8)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
dates = st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 1, 1))
numbers = st.integers(0, MAX_NUMBER)
optional_bool = st.sampled_from([None, True, False])
queries = st.builds(
    WorkQuery,
    include=st.lists(names, max_size=3, unique_by=str.casefold).map(tuple),
    exclude=st.lists(names, max_size=3, unique_by=str.casefold).map(tuple),
    any_of=st.lists(
        st.lists(names, min_size=1, max_size=3, unique_by=str.casefold).map(tuple), max_size=2
    ).map(tuple),
    complete=optional_bool,
    crossover=optional_bool,
    single_chapter=st.booleans(),
    words_from=st.none() | numbers,
    kudos_to=st.none() | numbers,
    posted_from=st.none() | dates,
    updated_to=st.none() | dates,
    language=st.sampled_from(["", "en", "fr"]),
    max_tags=st.none() | numbers,
    text=st.sampled_from(["", "dragon", '"found family" -angst', "title:x*"]),
    sort=st.sampled_from(["relevance", "updated", "title", "kudos", "creator"]),
    descending=st.booleans(),
    page=st.integers(1, 50),
    show_excluded=st.booleans(),
)


@given(queries)
def test_every_query_round_trips_through_its_url(query):
    assert WorkQuery.from_params(QueryDict(query.to_querystring())) == (query, [])


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "tag",
                "exclude",
                "any",
                "rating",
                "complete",
                "words_from",
                "posted_to",
                "language",
                "max_tags",
                "q",
                "sort",
                "order",
                "page",
                "kudos_to",
                "show_excluded",
            ]
        ),
        st.lists(st.text(max_size=20), max_size=3),
    )
)
def test_any_parameters_parse_without_error(params):
    query, problems = WorkQuery.from_params(params)
    assert isinstance(query, WorkQuery) and isinstance(problems, list)
    assert query.page >= 1
