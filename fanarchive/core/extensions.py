"""Named places on pages where higher apps add their parts, so that a lower app's page can show
a higher app's controls without importing it (the dependency rule of DESIGN.md).

A page marks a place with `{% page_parts "work:feedback" work=work reading=reading %}` (from
`{% load archive %}`); an app registers, in its `AppConfig.ready()`, a provider for that place:

    register_page_part("work:feedback", kudos_part)

A provider is called as `provider(request, **objects)` with the objects the page passed and
returns a `Part` (a template and its context) or None to show nothing. Parts are shown in the
order the apps come in INSTALLED_APPS. The places in use:

- `nav:user` — links in the site menu of a logged-in reader (inbox, bookmarks, history …);
- `profile:actions` — buttons on a user's profile (subscribe, mute, block …); objects:
  `profile_user`;
- `work:actions` — the work's action bar above the text (bookmark, mark for later, subscribe);
  objects: `work`, `reading`;
- `work:feedback` — after the work's text (kudos, comments); objects: `work`, `reading`,
  `chapter` (None when the whole work is shown).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Part:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[..., Part | None]
_providers: dict[str, dict[str, Provider]] = {}


def register_page_part(place: str, provider: Provider, *, uid: str | None = None) -> None:
    """Add `provider` to `place` (once per `uid`, by default the provider's qualified name)."""
    key = uid or f"{provider.__module__}.{provider.__qualname__}"
    _providers.setdefault(place, {})[key] = provider


def page_parts(place: str, request: HttpRequest | None, **objects: Any) -> list[Part]:
    """The parts the registered providers give for `place`, in registration order."""
    parts = []
    for provider in _providers.get(place, {}).values():
        part = provider(request, **objects)
        if part is not None:
            parts.append(part)
    return parts
