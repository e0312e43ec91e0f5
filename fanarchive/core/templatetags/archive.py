"""Template helpers used across the archive's pages: `{% load archive %}`."""

from __future__ import annotations

from django import template
from django.http import HttpRequest
from django.urls import reverse

register = template.Library()


@register.filter
def tag_url(name: object) -> str:
    """The works page of a tag (a Tag or its name), with AO3's escapes in the name:
    `{{ tag|tag_url }}` → `/tags/Javert*s*Jean%20Valjean/works`. The escaping is done by the
    `<tag:…>` URL converter, so this stays in step with the URL patterns."""
    return reverse("search:tag_works", kwargs={"name": getattr(name, "name", name)})


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current URL's query string with `page` set to `number` (other parameters kept)."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    params["page"] = str(number)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def page_parts(context: template.Context, place: str, **objects: object) -> str:
    """Render what the apps registered for `place` (see fanarchive/core/extensions.py):
    `{% page_parts "work:feedback" work=work reading=reading chapter=chapter %}`."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from fanarchive.core.extensions import page_parts as parts_for

    request = context.get("request")
    html = []
    for part in parts_for(place, request, **objects):
        html.append(render_to_string(part.template, {**objects, **part.context}, request=request))
    return mark_safe("".join(html))
