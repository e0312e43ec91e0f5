"""Download pages: a work's files, a series page and its EPUB.

Thin: the rate limit, the gate (`selectors.downloadable_work`, which starts at
`works.permissions.access_work`), a builder, a response.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from fanarchive.core.ratelimit import client_ip, rate_limit_hit
from fanarchive.works.models import Work
from fanarchive.works.permissions import LoginRequired
from fanarchive.works.selectors import with_blurb_data, work_meta

from . import convert
from .files import CONTENT_TYPES, series_file, work_file
from .selectors import (
    CALIBRE_FORMATS,
    WorkDownload,
    downloadable_work,
    series_download,
    work_download,
)
from .tasks import convert_work


def _rate_limited(request: HttpRequest) -> HttpResponse | None:
    decision = rate_limit_hit(
        scope="downloads", key=client_ip(request), limit=settings.DOWNLOADS_PER_MINUTE, window=60
    )
    if decision.allowed:
        return None
    response = render(
        request,
        "downloads/rate_limited.html",
        {"retry_after": decision.retry_after, "limit": decision.limit},
        status=429,
    )
    response["Retry-After"] = str(decision.retry_after)
    return response


def _login_page(request: HttpRequest) -> HttpResponse:
    login = reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})
    return render(request, "works/restricted.html", {"login_url": login}, status=403)


def _attachment(data: bytes, *, name: str, ext: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[ext])
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def work_file_view(
    request: HttpRequest, work_id: str, slug: str, ext: str
) -> HttpResponse | FileResponse:
    if limited := _rate_limited(request):
        return limited
    try:
        work = downloadable_work(viewer=request.user, work_id=int(work_id))
    except LoginRequired:
        return _login_page(request)
    d = work_download(work)
    if ext in CALIBRE_FORMATS:
        return _calibre_file(request, d, ext)
    return _attachment(work_file(d, ext), name=d.slug, ext=ext)


def _calibre_file(request: HttpRequest, d: WorkDownload, ext: str) -> HttpResponse | FileResponse:
    context = {"work": d.work, "ext": ext.upper()}
    if convert.ebook_convert() is None:
        return render(request, "downloads/unavailable.html", context, status=404)
    path = convert.cache_path(kind="works", object_id=d.work.pk, version=d.version, ext=ext)
    if not path.exists():
        if convert.has_failed(path):
            return render(request, "downloads/failed.html", context, status=503)
        if convert.claim(path):
            convert_work.enqueue(work_id=d.work.pk, ext=ext)
    if path.exists():  # made already, or just now (tasks run immediately in tests)
        return FileResponse(
            path.open("rb"),
            content_type=CONTENT_TYPES[ext],
            as_attachment=True,
            filename=f"{d.slug}.{ext}",
        )
    if convert.has_failed(path):
        return render(request, "downloads/failed.html", context, status=503)
    response = render(request, "downloads/preparing.html", context, status=202)
    response["Retry-After"] = "5"
    response["Refresh"] = "5"  # the browser reloads the page (no script, CSP-safe)
    return response


def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    s = series_download(viewer=request.user, series_id=series_id)
    works = with_blurb_data(Work.objects.filter(pk__in=[part.work.pk for _n, part in s.parts]))
    metas = {work.pk: work_meta(work) for work in works}
    parts = [(position, metas[part.work.pk]) for position, part in s.parts]
    return render(request, "downloads/series.html", {"s": s, "parts": parts})


def series_file_view(request: HttpRequest, series_id: str, slug: str) -> HttpResponse:
    if limited := _rate_limited(request):
        return limited
    s = series_download(viewer=request.user, series_id=int(series_id))
    return _attachment(series_file(s), name=s.slug, ext="epub")
