"""Signals the accounts app sends, so that higher apps can follow without accounts knowing
them (the dependency rule: core <- accounts <- tags <- works <- …)."""

from django.dispatch import Signal

# Sent with `pseud` and `into` (the account's default pseud) inside the transaction that
# deletes `pseud`, before what is credited to it moves to `into`. Receivers may move their own
# rows (or note the works concerned, to reindex them after commit); accounts then moves every
# row still pointing at `pseud` by a foreign key.
pseud_merging = Signal()
