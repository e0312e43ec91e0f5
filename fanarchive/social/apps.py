from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "fanarchive.social"
    label = "social"
    verbose_name = "Social"

    def ready(self) -> None:
        from fanarchive.core.extensions import register_page_part
        from fanarchive.works.selectors import register_hidden_creators

        from . import parts, selectors

        register_page_part("work:feedback", parts.kudos_part)
        register_page_part("profile:actions", parts.profile_part)
        # A reader's mutes hide works from the listings the works app builds (the front page)
        # as search_works hides them from tag pages and search.
        register_hidden_creators("social.mutes", selectors.muted_user_ids)
