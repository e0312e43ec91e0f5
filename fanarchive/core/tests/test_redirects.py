"""safe_next: back to the form's page, never to another site."""

import pytest

from fanarchive.core.redirects import safe_next


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"next": "/works/3?view_full_work=true"}, "/works/3?view_full_work=true"),
        ({"next": "https://elsewhere.example/"}, "/fallback"),
        ({"next": "//elsewhere.example/works/3"}, "/fallback"),
        ({"next": "javascript:alert(1)"}, "/fallback"),
        ({}, "/fallback"),
    ],
)
def test_only_pages_of_this_site(rf, data, expected):
    assert safe_next(rf.post("/x", data), "/fallback") == expected


def test_the_query_string_when_the_form_has_none(rf):
    assert safe_next(rf.post("/x?next=/tags/Fluff/works"), "/fallback") == "/tags/Fluff/works"
