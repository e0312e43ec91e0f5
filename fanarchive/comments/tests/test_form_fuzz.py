"""Any comment text is either stored as safe HTML or refused with a message on the field."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanarchive.comments.forms import CommentForm
from fanarchive.core.tests.test_sanitize import hostile_documents, problems

any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(hostile_documents, any_text))
def test_comment_text_is_clean_or_refused_by_field(raw):
    form = CommentForm({"content": raw, "name": "G", "email": "g@example.org"}, guest=True)
    if form.is_valid():
        assert problems(form.cleaned_data["content"]) == [], raw
    else:
        assert set(form.errors) == {"content"}
        assert all(message for message in form.errors["content"])
