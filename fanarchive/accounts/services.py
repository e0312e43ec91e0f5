"""Account writes."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Invitation, Preference, Pseud, User
from .signals import pseud_merging


@transaction.atomic(savepoint=False)
def imported_creators_get_or_create(*, creators: Sequence[tuple[str, str]]) -> list[Pseud]:
    """The pseuds for creators named in imported works, as (pseud name, login) pairs, in order.

    An account that does not exist yet is created as imported (`is_imported`, no usable
    password) with its default pseud named after the login; a pseud other than the login
    ("Miss M" of "missm") is added to the account as a non-default pseud. An existing account of
    that login is credited as it is (the login is the identity, as on AO3). Two queries when
    everything exists; a few bulk inserts otherwise.
    """
    logins = list(dict.fromkeys(login for _pseud, login in creators))
    users = {user.username: user for user in User.objects.filter(username__in=logins)}
    existing_ids = [user.pk for user in users.values()]
    new_users = []
    for login in logins:
        if login not in users:
            user = User(username=login, is_imported=True)
            user.set_unusable_password()
            new_users.append(user)
    if new_users:
        User.objects.bulk_create(new_users)
        users.update((user.username, user) for user in new_users)

    names = {name for name, _login in creators}
    pseuds: dict[tuple[str, str], Pseud] = {}
    if existing_ids:
        login_of = {user.pk: user.username for user in users.values()}
        for pseud in Pseud.objects.filter(user_id__in=existing_ids, name__in=names | set(logins)):
            pseuds[(pseud.name, login_of[pseud.user_id])] = pseud
    new_pseuds: dict[tuple[str, str], Pseud] = {}
    for user in new_users:
        new_pseuds[(user.username, user.username)] = Pseud(
            user=user, name=user.username, is_default=True
        )
    for name, login in creators:
        key = (name, login)
        if key not in pseuds and key not in new_pseuds:
            new_pseuds[key] = Pseud(user=users[login], name=name, is_default=False)
    if new_pseuds:
        Pseud.objects.bulk_create(new_pseuds.values())
        pseuds.update(new_pseuds)
    return [pseuds[(name, login)] for name, login in creators]


# --- Sign-up, invitations and confirmation ---------------------------------------------------

CONFIRM_SALT = "fanarchive.accounts.confirm"
EMAIL_CHANGE_SALT = "fanarchive.accounts.email-change"


class AccountError(Exception):
    """A refused account operation; `str()` is a message for the person who asked."""


class InvitationError(AccountError):
    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # "unknown", "used" or "expired"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, email: str = "", created_by: User | None = None, days: int | None = None
) -> tuple[Invitation, str]:
    """A new invitation and its token (shown once; only its hash is stored)."""
    token = secrets.token_urlsafe(24)
    days = settings.FANARCHIVE_INVITATION_DAYS if days is None else days
    invitation = Invitation.objects.create(
        email=email.strip(),
        token_hash=_token_hash(token),
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return invitation, token


def invitation_renew(*, invitation: Invitation, days: int | None = None) -> str:
    """A fresh token and expiry for an unused invitation (the old link stops working)."""
    if invitation.used_at is not None:
        raise AccountError("That invitation was already used.")
    token = secrets.token_urlsafe(24)
    days = settings.FANARCHIVE_INVITATION_DAYS if days is None else days
    invitation.token_hash = _token_hash(token)
    invitation.expires_at = timezone.now() + timedelta(days=days)
    invitation.save(update_fields=["token_hash", "expires_at"])
    return token


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The valid invitation of `token`, or InvitationError saying why not."""
    queryset = Invitation.objects.select_for_update() if lock else Invitation.objects
    invitation = queryset.filter(token_hash=_token_hash(token or "")).first()
    if invitation is None:
        raise InvitationError("That invitation link is not valid.", reason="unknown")
    state = invitation.state()
    if state == "used":
        raise InvitationError("That invitation has already been used.", reason="used")
    if state == "expired":
        raise InvitationError(
            "That invitation has expired; ask an administrator for a new one.", reason="expired"
        )
    return invitation


def invitation_send(*, invitation: Invitation, link: str) -> None:
    if not invitation.email:
        return
    send_mail(
        subject=f"Your invitation to {settings.SITE_NAME}",
        message=render_to_string(
            "accounts/email/invitation.txt",
            {"link": link, "invitation": invitation, "SITE_NAME": settings.SITE_NAME},
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def user_signup(
    *, username: str, email: str, password: str, invitation_token: str | None = None
) -> User:
    """A new inactive account with its default pseud (named after the login). With sign-ups by
    invitation the invitation is required and used up; with open sign-ups one is used up if
    given. Refused (AccountError) when sign-ups are closed."""
    mode = settings.FANARCHIVE_SIGNUPS
    if mode == "closed":
        raise AccountError("Sign-ups are closed.")
    invitation = None
    if invitation_token:
        invitation = invitation_for_token(invitation_token, lock=True)
    elif mode != "open":
        raise AccountError("Sign-ups are by invitation only.")
    user = User(username=username, email=email, is_active=False)
    user.set_password(password)
    user.save()
    Pseud.objects.create(user=user, name=username, is_default=True)
    if invitation is not None:
        invitation.used_at = timezone.now()
        invitation.used_by = user
        invitation.save(update_fields=["used_at", "used_by"])
    return user


def confirmation_token(*, user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRM_SALT)


def confirmation_send(*, user: User, link: str) -> None:
    """Mail the link that activates `user` (made from `confirmation_token`)."""
    send_mail(
        subject=f"Confirm your {settings.SITE_NAME} account",
        message=render_to_string(
            "accounts/email/confirm.txt",
            {
                "user": user,
                "link": link,
                "days": settings.FANARCHIVE_CONFIRMATION_DAYS,
                "SITE_NAME": settings.SITE_NAME,
            },
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def user_confirm(*, token: str) -> tuple[User, bool]:
    """Activate the account of a confirmation token: (the user, whether it was activated now —
    False when it already was). AccountError for a bad or expired token."""
    max_age = timedelta(days=settings.FANARCHIVE_CONFIRMATION_DAYS)
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise AccountError(
            "That confirmation link has expired; ask for a new one below."
        ) from error
    except signing.BadSignature as error:
        raise AccountError("That confirmation link is not valid.") from error
    user = User.objects.filter(pk=data.get("u"), is_imported=False).first()
    if user is None or user.email != data.get("e"):
        raise AccountError("That confirmation link is not valid.")
    if user.is_active:
        return user, False
    updated = User.objects.filter(pk=user.pk, is_active=False).update(is_active=True)
    user.is_active = True
    return user, bool(updated)


def user_needing_confirmation(*, email: str) -> User | None:
    """The unconfirmed account (not imported) with this address, for resending the link."""
    return (
        User.objects.filter(email__iexact=email.strip(), is_active=False, is_imported=False)
        .order_by("-date_joined")
        .first()
    )


def email_change_token(*, user: User, new_email: str) -> str:
    return signing.dumps(
        {"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT
    )


def email_change_request(*, user: User, new_email: str, link: str) -> None:
    """Mail the confirmation link to the new address and a notice to the old one."""
    context = {
        "user": user,
        "new_email": new_email,
        "link": link,
        "days": settings.FANARCHIVE_CONFIRMATION_DAYS,
        "SITE_NAME": settings.SITE_NAME,
    }
    send_mail(
        subject=f"Confirm your new email address for {settings.SITE_NAME}",
        message=render_to_string("accounts/email/email_change.txt", context),
        from_email=None,
        recipient_list=[new_email],
    )
    if user.email:
        send_mail(
            subject=f"Your {settings.SITE_NAME} email address is being changed",
            message=render_to_string("accounts/email/email_change_notice.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


@transaction.atomic
def email_change_confirm(*, token: str) -> User:
    """Set the new address of an email-change link. Single use: the link names the old address,
    which no longer matches once it was used."""
    max_age = timedelta(days=settings.FANARCHIVE_CONFIRMATION_DAYS)
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise AccountError("That link has expired; change your email address again.") from error
    except signing.BadSignature as error:
        raise AccountError("That link is not valid.") from error
    user = User.objects.select_for_update().filter(pk=data.get("u")).first()
    if user is None or user.email != data.get("old"):
        raise AccountError("That link is not valid or was already used.")
    new_email = str(data.get("new", ""))
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise AccountError("Another account uses that email address now.")
    user.email = new_email
    user.save(update_fields=["email"])
    return user


# --- Pseuds -----------------------------------------------------------------------------------


@transaction.atomic
def pseud_default_ensure(*, user: User) -> Pseud:
    """`user`'s default pseud, made (named after the login) for an account that has none — one
    made in the admin or by `createsuperuser`."""
    found = Pseud.objects.filter(user=user, is_default=True).first()
    if found is not None:
        return found
    named = Pseud.objects.filter(user=user, name__iexact=user.username).first()
    if named is not None:
        return pseud_make_default(pseud=named)
    return Pseud.objects.create(user=user, name=user.username, is_default=True)


@transaction.atomic
def pseud_create(*, user: User, name: str, description: str = "") -> Pseud:
    if Pseud.objects.filter(user=user, name__iexact=name).exists():
        raise AccountError(f"You already have a pseud called {name}.")
    return Pseud.objects.create(user=user, name=name, description=description)


@transaction.atomic
def pseud_update(*, pseud: Pseud, name: str, description: str) -> Pseud:
    """Rename a pseud and set its description. The pseud named after the login keeps its name."""
    if name != pseud.name:
        if pseud.name == pseud.user.username:
            raise AccountError("The pseud named after your login cannot be renamed.")
        clash = Pseud.objects.filter(user_id=pseud.user_id, name__iexact=name)
        if clash.exclude(pk=pseud.pk).exists():
            raise AccountError(f"You already have a pseud called {name}.")
    pseud.name = name
    pseud.description = description
    pseud.save(update_fields=["name", "description"])
    return pseud


@transaction.atomic
def pseud_make_default(*, pseud: Pseud) -> Pseud:
    Pseud.objects.filter(user_id=pseud.user_id, is_default=True).exclude(pk=pseud.pk).update(
        is_default=False
    )
    Pseud.objects.filter(pk=pseud.pk).update(is_default=True)
    pseud.is_default = True
    return pseud


@transaction.atomic
def pseud_delete(*, pseud: Pseud) -> Pseud:
    """Delete a pseud, moving what is credited to it (works, invitations…) to the account's
    default pseud, as AO3 does; returns the default. Neither the default pseud nor the one named
    after the login can be deleted. `pseud_merging` is sent first, so apps above may note what
    moves (search reindexes the works) — rows they leave are moved here."""
    if pseud.is_default:
        raise AccountError("You cannot delete your default pseud.")
    if pseud.name == pseud.user.username:
        raise AccountError("You cannot delete the pseud named after your login.")
    default = Pseud.objects.select_for_update().get(user_id=pseud.user_id, is_default=True)
    pseud_merging.send(sender=Pseud, pseud=pseud, into=default)
    _move_related_rows(source=pseud, target=default)
    pseud.delete()
    return default


def _move_related_rows(*, source: models.Model, target: models.Model) -> None:
    """Point every row that refers to `source` by a foreign key at `target`; a row that would
    then duplicate one of `target`'s (a unique constraint over the key and other fields) is
    deleted instead. Generic, so accounts need not know the apps that credit pseuds."""
    for relation in source._meta.related_objects:
        model = relation.related_model
        if not relation.one_to_many or not isinstance(model, type):
            continue
        field_name = relation.field.name
        rows = model._default_manager.filter(**{field_name: source})
        for fields in _unique_sets(model, field_name):
            others = [name for name in fields if name != relation.field.attname]
            taken = model._default_manager.filter(**{field_name: target}).values_list(*others)
            taken_set = {tuple(row) for row in taken}
            if not taken_set:
                continue
            for row in rows.values("pk", *others):
                if tuple(row[name] for name in others) in taken_set:
                    model._default_manager.filter(pk=row["pk"]).delete()
        rows.update(**{field_name: target})


def _unique_sets(model: type[models.Model], field_name: str) -> list[list[str]]:
    sets: list[list[str]] = []
    meta = model._meta
    for constraint in meta.constraints:
        fields = list(getattr(constraint, "fields", ()) or ())
        if (
            isinstance(constraint, models.UniqueConstraint)
            and field_name in fields
            and getattr(constraint, "condition", None) is None
        ):
            sets.append([getattr(meta.get_field(name), "attname", name) for name in fields])
    for together in meta.unique_together:
        if field_name in together:
            sets.append([getattr(meta.get_field(name), "attname", name) for name in together])
    return sets


# --- Preferences ------------------------------------------------------------------------------


@transaction.atomic
def preferences_save(*, user: User, values: Mapping[str, object]) -> Preference:
    """Create or update `user`'s preferences from field values (a validated form's)."""
    fields = {
        name: value
        for name, value in values.items()
        if name in Preference.EDITABLE  # nothing else, whatever the caller passes
    }
    preference, _created = Preference.objects.update_or_create(user=user, defaults=fields)
    return preference
