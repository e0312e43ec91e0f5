"""One page of a paginated list, as every listing page shows it."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page


@dataclass
class PagedListing:
    """A page of some list: its total and the page numbers to link to. Listings of the apps
    (works, bookmarks, history, inbox …) extend it with what they show for each entry."""

    page: Page

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def page_range(self) -> list[int | str]:
        """Page numbers to link to, with `…` where some are left out."""
        return list(
            self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        )
