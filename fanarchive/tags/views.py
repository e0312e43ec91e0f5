"""Tag pages. A tag's works are listed by the works app (`works:tag_works`)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from .selectors import tag_by_name


def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    """`/tags/<name>`: for now, the tag's works."""
    tag = tag_by_name(name)
    if tag is None:
        raise Http404("No such tag")
    return redirect("works:tag_works", name=tag.name)
