"""The archive's browser-side security policy, in one place.

The Content-Security-Policy header itself is written by django-csp's middleware
(`csp.middleware.CSPMiddleware`, Mozilla's package: per-view overrides, nonces and report-only
mode when we need them, and kept current with Django); this module only says what the policy is,
so that settings, the sanitizer and the tests agree:

- scripts and styles come from the archive's own static files only: no inline <script>, no
  event-handler attributes, no `style` attributes, no `eval` (no 'unsafe-inline' anywhere);
- images may come from anywhere on the web (writers embed pictures hosted elsewhere, as on AO3),
  never from `data:` URLs;
- frames only from the video and audio hosts the sanitizer lets writers embed (`EMBED_HOSTS`);
- nothing may frame the archive, post its forms elsewhere, or change its base URL.

This module must stay importable from `config/settings.py`: no Django imports at module level.
"""

from __future__ import annotations

from typing import Any

# Hosts whose players writers may embed in an <iframe> (AO3's list, the hosts that serve
# over https): the iframe's src must be https://<host><path prefix>…, anything else is removed.
EMBED_HOSTS: dict[str, str] = {
    "www.youtube.com": "/embed/",
    "youtube.com": "/embed/",
    "www.youtube-nocookie.com": "/embed/",
    "player.vimeo.com": "/video/",
    "w.soundcloud.com": "/player/",
    "open.spotify.com": "/embed/",
    "archive.org": "/embed/",
    "player.bilibili.com": "/player.html",
}

SELF = "'self'"
NONE = "'none'"


def content_security_policy(*, https: bool) -> dict[str, Any]:
    """django-csp's CONTENT_SECURITY_POLICY setting for the archive."""
    directives: dict[str, Any] = {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:", "http:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF, "https:"],
        "frame-src": sorted(f"https://{host}" for host in EMBED_HOSTS),
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
    if https:
        directives["upgrade-insecure-requests"] = True
    return {"DIRECTIVES": directives}
