"""`fanarchive invite EMAIL…`: make invitations and print their sign-up links."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.http import urlencode

from fanarchive.accounts import services


class Command(BaseCommand):
    help = (
        "Make one single-use invitation per email address and print its sign-up link "
        "(also mailed to the address unless --no-email)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("emails", nargs="+", metavar="EMAIL")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"days the link works (default {settings.FANARCHIVE_INVITATION_DAYS})",
        )
        parser.add_argument("--no-email", action="store_true", help="only print the links")

    def handle(self, *args: Any, **options: Any) -> None:
        emails = [email.strip() for email in options["emails"]]
        bad = []
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                bad.append(email)
        if bad:
            raise CommandError("not an email address: " + ", ".join(bad))
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1")
        base = settings.FANARCHIVE_SITE_URL.rstrip("/") + reverse("accounts:signup")
        for email in emails:
            invitation, token = services.invitation_create(email=email, days=days)
            link = f"{base}?{urlencode({'invitation': token})}"
            if not options["no_email"]:
                services.invitation_send(invitation=invitation, link=link)
            self.stdout.write(f"{email}\t{link}")
