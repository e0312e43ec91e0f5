"""Account writes."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from .models import Pseud, User


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
