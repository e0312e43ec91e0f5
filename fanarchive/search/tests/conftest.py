import pytest

from fanarchive.search.query import WorkQuery
from fanarchive.search.selectors import search_works
from fanarchive.search.services import search_text_rebuild


@pytest.fixture
def search(db):
    """search(viewer=None, **fields) -> WorkResults, with the text index rebuilt first."""
    from django.contrib.auth.models import AnonymousUser

    def run(viewer=None, reindex=True, **fields):
        if reindex:
            search_text_rebuild()
        return search_works(query=WorkQuery(**fields), viewer=viewer or AnonymousUser())

    return run
