"""Credits that follow changes in the accounts app: when a pseud is deleted (merged into the
account's default pseud), its works move to the default pseud here, in the same transaction,
and `works_changed` tells search that their bylines changed."""

from __future__ import annotations

from typing import Any

from fanarchive.accounts.models import Pseud

from .models import Creatorship, Work
from .signals import works_changed


def on_pseud_merging(sender: Any, *, pseud: Pseud, into: Pseud, **kwargs: Any) -> None:
    """Move `pseud`'s creatorships to `into`; a work that already credits `into` just loses
    the duplicate credit."""
    moving = Creatorship.objects.filter(pseud=pseud)
    work_ids = sorted(set(moving.values_list("work_id", flat=True)))
    if not work_ids:
        return
    already = Creatorship.objects.filter(pseud=into, work_id__in=work_ids).values("work_id")
    moving.filter(work_id__in=already).delete()
    Creatorship.objects.filter(pseud=pseud).update(pseud=into)
    works_changed.send(sender=Work, work_ids=work_ids)
