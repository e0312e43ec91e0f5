"""`fanarchive ensure_admin`: make sure the archive has an administrator and say how to log in.

The first time, it creates the account `admin` with a random password kept in the data folder
(readable by its owner only), so that `make run` can always tell a newcomer how to log in."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from fanarchive.accounts.models import Pseud, User


class Command(BaseCommand):
    help = "Create the administrator account `admin` if the archive has none; print how to log in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        password_file = settings.DATA_DIR / "admin-password"
        with transaction.atomic():
            user = User.objects.filter(username=username).first()
            if user is None:
                if User.objects.filter(is_superuser=True).exists():
                    self.stdout.write(
                        f"The archive has an administrator; log in at {options['url']}"
                    )
                    return
                password = secrets.token_urlsafe(12)
                user = User.objects.create_superuser(
                    username=username, email="admin@localhost", password=password
                )
                Pseud.objects.create(user=user, name=username, is_default=True)
                fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w") as handle:
                    handle.write(password + "\n")
        if password_file.exists():
            password = password_file.read_text().strip()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Log in at {options['url']} as {username} with the password {password} "
                    f"(kept in {password_file}; "
                    f"change it with `fanarchive changepassword {username}`)."
                )
            )
        else:
            self.stdout.write(f"Log in at {options['url']} as {username}.")
