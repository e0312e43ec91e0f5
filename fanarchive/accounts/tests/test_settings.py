"""Account settings from the environment: mail by console or SMTP, the sign-up mode check."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fanarchive.accounts.checks import check_signups

ROOT = Path(__file__).resolve().parents[3]
PRINT = (
    "import json, config.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
    "['EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_USE_TLS', "
    "'EMAIL_USE_SSL', 'DEFAULT_FROM_EMAIL', 'FANARCHIVE_SIGNUPS', 'AUTHENTICATION_BACKENDS']}))"
)


def settings_with(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FANARCHIVE_")}
    clean.update(FANARCHIVE_DATA_DIR=str(tmp_path), FANARCHIVE_SECRET_KEY="x" * 50, **env)
    out = subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_console_mail_by_default(tmp_path):
    values = settings_with(tmp_path)
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert values["EMAIL_HOST"] is None
    assert values["FANARCHIVE_SIGNUPS"] == "open"
    assert values["AUTHENTICATION_BACKENDS"] == ["fanarchive.accounts.backends.ArchiveBackend"]


def test_smtp_when_a_host_is_given(tmp_path):
    values = settings_with(
        tmp_path,
        FANARCHIVE_EMAIL_HOST="smtp.example.org",
        FANARCHIVE_EMAIL_PORT="2525",
        FANARCHIVE_EMAIL_USER="archive",
        FANARCHIVE_EMAIL_FROM="Archive <archive@example.org>",
        FANARCHIVE_SIGNUPS="Invitation",
    )
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("smtp.example.org", 2525)
    assert values["EMAIL_HOST_USER"] == "archive"
    assert (values["EMAIL_USE_TLS"], values["EMAIL_USE_SSL"]) == (True, False)
    assert values["DEFAULT_FROM_EMAIL"] == "Archive <archive@example.org>"
    assert values["FANARCHIVE_SIGNUPS"] == "invitation"
    ssl = settings_with(
        tmp_path, FANARCHIVE_EMAIL_HOST="smtp.example.org", FANARCHIVE_EMAIL_SSL="1"
    )
    assert (ssl["EMAIL_USE_TLS"], ssl["EMAIL_USE_SSL"]) == (False, True)


@pytest.mark.parametrize(
    ("mode", "errors"), [("open", 0), ("closed", 0), ("invitation", 0), ("maybe", 1)]
)
def test_an_unknown_signup_mode_is_a_system_check_error(settings, mode, errors):
    settings.FANARCHIVE_SIGNUPS = mode
    found = check_signups(None)
    assert len(found) == errors
    if errors:
        assert found[0].id == "fanarchive.E101" and "maybe" in found[0].msg
