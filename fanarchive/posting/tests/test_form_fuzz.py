"""Bad input never crashes the work form: any text in any field gives either a valid form or
refusals that each name a field of the form."""

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.posting.forms import WorkForm

from .conftest import form_data

FIELDS = [
    "rating",
    "warnings",
    "categories",
    "fandoms",
    "relationships",
    "characters",
    "freeforms",
    "title",
    "summary",
    "notes",
    "language",
    "series_existing",
    "series_title",
    "series_position",
    "expected_chapters",
    "co_creators",
    "comment_permission",
    "text_format",
    "chapter_text",
    "publish_at",
    "pseuds",
]

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.dictionaries(st.sampled_from(FIELDS), st.one_of(text, st.lists(text, max_size=3)))
)
def test_any_input_is_accepted_or_refused_by_field(changes):
    user = UserFactory(username="fuzzer")
    data = form_data(pseuds=[str(user.default_pseud().pk)])
    data.update(changes)
    query = QueryDict(mutable=True)  # as a request gives it: repeated names, last one wins
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    form = WorkForm(query, user=user)
    if form.is_valid():
        sub = form.submission()
        assert sub.title and sub.pseuds and sub.chapter_text
        return
    for name, label, message in form.error_list():
        assert message
        assert name.startswith("id_") and label, (name, label, message)
