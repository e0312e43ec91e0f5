"""Security headers on every page, the deployment check, templates fit for the CSP, and titles,
summaries and tags always escaped."""

from __future__ import annotations

import datetime
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.core.security import content_security_policy
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.models import Work
from fanarchive.works.services import ChapterDraft, WorkDraft, work_create

BASE_DIR = Path(django_settings.BASE_DIR)


def _work(title, *, tags=(), rating="General Audiences", summary="", restricted=False, chapters=2):
    creator = UserFactory().pseuds.get(is_default=True)
    return work_create(
        draft=WorkDraft(
            title=title,
            creators=[creator],
            chapters=[
                ChapterDraft(text=f"<p>Chapter {n} text.</p>", title=f"Part {n}")
                for n in range(1, chapters + 1)
            ],
            published=datetime.date(2024, 1, 1),
            tags=[
                Tag.objects.get(name=rating),
                Tag.objects.get(name="No Archive Warnings Apply"),
                *tags,
            ],
            language="en",
            summary=summary,
            restricted=restricted,
            expected_chapters=chapters,
        )
    )


@pytest.fixture
def site(db, settings):
    settings.DEBUG = False
    fandom = TagFactory(name="Les Misérables", type=TagType.FANDOM, canonical=True)
    work = _work("The Lamplighter's Round", tags=[fandom])
    adult = _work("After Dark", tags=[fandom], rating="Explicit")
    restricted = _work("Members Only", tags=[fandom], restricted=True)
    return {"fandom": fandom, "work": work, "adult": adult, "restricted": restricted}


def _page_urls(site: dict) -> list[str]:
    work: Work = site["work"]
    chapter = work.chapters.order_by("position").last()
    assert chapter is not None
    login = work.creatorships.first().pseud.user.username  # type: ignore[union-attr]
    return [
        "/",
        f"/works/{work.id}",
        f"/works/{work.id}?view_full_work=true",
        f"/works/{work.id}/chapters/{chapter.id}",
        f"/works/{work.id}/navigate",
        f"/works/{site['adult'].id}",  # the adult gate
        f"/works/{site['restricted'].id}",  # asked to log in
        "/works/999999",  # 404
        "/tags/Les%20Mis%C3%A9rables/works",
        "/tags/Les%20Mis%C3%A9rables",
        "/tags/search?name=Les",
        "/works/search?q=lamp",
        "/users/login",
        "/users/signup",
        f"/users/{login}",
        f"/users/{login}/works",
        "/works/new",  # a guest is sent to log in
        "/wrangling/",
        f"/downloads/{work.id}/lamplighter.html",
        "/admin/login/",
        "/static/css/fanarchive.css",
        "/no/such/page",
    ]


def assert_security_headers(response, url: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = dict(
        [*part.split(" ", 1), ""][:2] for part in (p.strip() for p in policy.split(";")) if part
    )
    assert directives.get("script-src") == "'self'", (url, policy)
    assert directives.get("default-src") == "'self'", (url, policy)
    assert directives.get("object-src") == "'none'", (url, policy)
    assert directives.get("frame-ancestors") == "'none'", (url, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, (url, policy)
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    if url.startswith("/static/"):
        return  # a stylesheet is no page: framing and referrer headers do not apply
    assert response.headers.get("X-Frame-Options") == "DENY", url
    assert response.headers.get("Referrer-Policy") == "same-origin", url
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", url


def test_every_page_type_answers_with_the_security_headers(site):
    client = Client()
    statuses = {}
    for url in _page_urls(site):
        response = client.get(url)
        statuses[url] = response.status_code
        assert response.status_code < 500, url
        assert_security_headers(response, url)
    # The list really covers pages, the adult gate, a login request, redirects and 404s.
    assert statuses["/"] == 200
    assert statuses[f"/works/{site['work'].id}"] == 200
    assert statuses["/works/999999"] == 404
    assert statuses["/works/new"] == 302


def test_logged_in_pages_and_refused_posts_answer_with_the_headers(site):
    client = Client(enforce_csrf_checks=True)
    user = UserFactory()
    client.force_login(user)
    for url in ["/", f"/users/{user.username}", f"/works/{site['restricted'].id}", "/works/new"]:
        response = client.get(url)
        assert response.status_code in {200, 302}, url
        assert_security_headers(response, url)
    refused = client.post("/works/new", {"title": "x"})  # no CSRF token
    assert refused.status_code == 403
    assert_security_headers(refused, "POST /works/new")


def test_the_policy_upgrades_requests_only_over_https():
    assert "upgrade-insecure-requests" not in content_security_policy(https=False)["DIRECTIVES"]
    assert content_security_policy(https=True)["DIRECTIVES"]["upgrade-insecure-requests"]


# --- production settings, in a fresh process (settings are read once, from the environment) ---


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FANARCHIVE_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(
        FANARCHIVE_DATA_DIR=str(tmp_path),
        FANARCHIVE_SECRET_KEY=secrets.token_urlsafe(50),
        FANARCHIVE_DEBUG="0",
        FANARCHIVE_HTTPS="1",
        FANARCHIVE_ALLOWED_HOSTS="archive.example.org",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(extra)
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_with_production_settings_reports_nothing(tmp_path):
    result = _manage(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_complains_without_https(tmp_path):
    # The same check on a site not served over HTTPS: the test above could fail.
    env = _production_env(tmp_path, FANARCHIVE_HTTPS="0")
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stdout + result.stderr


_HTTPS_PROBE = """
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="archive.example.org")
plain = client.get("/users/login")
print("plain", plain.status_code, plain.headers.get("Location"))
secure = client.get("/users/login", secure=True, HTTP_X_FORWARDED_PROTO="https")
print("status", secure.status_code)
print("hsts", secure.headers.get("Strict-Transport-Security"))
print("csp", secure.headers.get("Content-Security-Policy"))
for name, morsel in secure.cookies.items():
    print("cookie", name, bool(morsel["secure"]), bool(morsel["httponly"]))
"""


def test_over_https_cookies_are_secure_hsts_is_sent_and_http_redirects(tmp_path):
    env = _production_env(tmp_path, FANARCHIVE_PLAIN_STATIC="1")  # no collectstatic here
    migrate = _manage(env, "migrate", "--noinput")
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [sys.executable, "-c", _HTTPS_PROBE],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "plain 301 https://archive.example.org/users/login" in lines
    assert "status 200" in lines
    assert "hsts max-age=31536000; includeSubDomains; preload" in lines
    assert any(line.startswith("csp ") and "upgrade-insecure-requests" in line for line in lines)
    assert "cookie csrftoken True True" in lines


# --- templates fit for the policy ---------------------------------------------------------------

_TEMPLATES = sorted(
    path for path in (BASE_DIR / "fanarchive").rglob("templates/**/*.html") if path.is_file()
)
# A downloaded HTML file is opened from the reader's disk, not under the archive's policy.
_OWN_STYLESHEET_ALLOWED = {"downloads/templates/downloads/work.html"}


@pytest.mark.parametrize(
    "path", _TEMPLATES, ids=[str(p.relative_to(BASE_DIR / "fanarchive")) for p in _TEMPLATES]
)
def test_templates_have_no_inline_script_handlers_or_styles(path):
    text = path.read_text()
    relative = str(path.relative_to(BASE_DIR / "fanarchive"))
    for match in re.finditer(r"<script\b([^>]*)>", text, re.I):
        attrs = match.group(1)
        assert re.search(r"\bsrc=", attrs) or re.search(r'type="application/(ld\+)?json"', attrs), (
            f"{relative}: inline <script> (put it in a static .js file)"
        )
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", text, re.I), f"{relative}: on…= handler"
    assert not re.search(r"<[a-z][^>]*\sstyle\s*=", text, re.I), f"{relative}: style attribute"
    assert "javascript:" not in text.lower(), f"{relative}: javascript: URL"
    if relative not in _OWN_STYLESHEET_ALLOWED:
        assert not re.search(r"<style\b", text, re.I), f"{relative}: inline <style>"


def test_the_template_guard_sees_all_templates():
    assert len(_TEMPLATES) > 20
    assert any(str(p).endswith("templates/base.html") for p in _TEMPLATES)


# --- escaping -----------------------------------------------------------------------------------

HOSTILE = "<script>alert('x')</script>"


@pytest.fixture
def hostile_work(db, settings):
    settings.DEBUG = False
    fandom = TagFactory(name="Hostile Fandom", type=TagType.FANDOM, canonical=True)
    # The tag services refuse "<" and ">" in names; one that arrived otherwise (an old import,
    # the admin) must still come out escaped.
    script_tag = TagFactory(name=f"Tag {HOSTILE}", type=TagType.FREEFORM, canonical=True)
    quote_tag = TagFactory(name='Quote" onmouseover="alert(1)', type=TagType.CHARACTER)
    work = _work(
        f"Title {HOSTILE}",
        tags=[fandom, script_tag, quote_tag],
        summary=f"<p>Summary {HOSTILE} <b onclick=\"alert('s')\">bold</b> &lt;kept&gt;</p>",
    )
    return {"work": work, "fandom": fandom, "script_tag": script_tag, "quote_tag": quote_tag}


def _assert_escaped(text: str, url: str) -> None:
    assert "<script>alert" not in text, url
    assert "onclick=" not in text, url
    assert 'onmouseover="alert' not in text, url
    assert "alert(&#x27;x&#x27;)" in text or "alert('x')" not in text, url


def test_title_summary_and_tags_are_escaped_everywhere(hostile_work):
    client = Client()
    work = hostile_work["work"]
    user = work.creatorships.first().pseud.user.username
    pages = {
        "work": f"/works/{work.id}",
        "full": f"/works/{work.id}?view_full_work=true",
        "home blurb": "/",
        "fandom's works": "/tags/Hostile%20Fandom/works",
        "creator's works": f"/users/{user}/works",
        "search": "/works/search?q=Title",
        "fandom tag page": "/tags/Hostile%20Fandom",
        "the script tag's works": "/tags/Tag%20%3Cscript%3Ealert('x')%3C*s*script%3E/works",
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        text = response.text
        _assert_escaped(text, name)
        if name != "fandom tag page":
            # The title, escaped, is on every page that lists or shows the work.
            assert "Title &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text, name
    work_page = client.get(pages["work"]).text
    # The summary was sanitized when stored: the script and handler are gone, the rest kept.
    assert "Summary" in work_page and "<b>bold</b>" in work_page
    assert "&lt;kept&gt;" in work_page
    assert "Tag &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in work_page
    assert "Quote&quot; onmouseover=&quot;alert(1)" in work_page
