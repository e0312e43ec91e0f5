"""The work form pages: new, edit, preview, post draft, delete — who may use them, what they
store, and that a posted work shows up at once on its tag pages and in search."""

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.tests.factories import PseudFactory, UserFactory
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.names import tag_to_url
from fanarchive.works.models import Chapter, CreatorInvitation, Series, SeriesWork, Work
from fanarchive.works.tests.factories import WorkFactory

from .conftest import form_data

NEW = "/works/new"


def tags_of(work, tag_type=None):
    rows = work.work_tags.select_related("tag").order_by("position")
    return [wt.tag.name for wt in rows if tag_type is None or wt.tag.type == tag_type]


def post_new(client, **changes):
    return client.post(NEW, form_data(**changes))


# --- Who may open the pages ----------------------------------------------------------------------


def test_guest_is_sent_to_log_in(client, db):
    response = client.get(NEW)
    assert response.status_code == 302
    assert response["Location"] == "/users/login?next=/works/new"
    response = client.post(NEW, form_data())
    assert response.status_code == 302
    assert Work.objects.count() == 0


@pytest.mark.parametrize("page", ["edit", "preview", "delete"])
def test_guest_is_sent_to_log_in_for_a_works_pages(client, db, page):
    work = WorkFactory()
    url = f"/works/{work.pk}/{page}"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/users/login?next=")


def test_form_page_has_every_field_labelled_and_grouped(writer_client):
    response = writer_client.get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    for legend in ("Tags", "Preface", "Associations", "Privacy", "Scheduling", "Work Text"):
        assert f"<legend>{legend}</legend>" in html
    # Every input, select and textarea has a label naming it (or is a hidden/submit control).
    import re

    ids = re.findall(r'<(?:input|select|textarea)[^>]*\sid="([^"]+)"', html)
    assert len(ids) > 20
    for element_id in ids:
        assert f'for="{element_id}"' in html, element_id
    assert "<script>" not in html  # no inline script (CSP)
    assert 'src="/static/posting/tag-autocomplete.js"' in html
    assert 'data-tag-autocomplete="/tags/autocomplete"' in html
    assert 'data-tag-type="fandom"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    # The writer's default pseud is chosen, English is the default language.
    assert 'value="en" selected' in html


def test_other_users_draft_is_404_and_posted_work_403(other_client, writer):
    pseud = writer.default_pseud()
    draft = WorkFactory(creator=pseud, posted=False)
    posted = WorkFactory(creator=pseud)
    for page in ("edit", "preview", "delete"):
        assert other_client.get(f"/works/{draft.pk}/{page}").status_code == 404
        assert other_client.get(f"/works/{posted.pk}/{page}").status_code == 403
    assert other_client.post(f"/works/{posted.pk}/delete").status_code == 403
    assert other_client.post(f"/works/{draft.pk}/post").status_code == 404
    assert other_client.post(f"/works/{posted.pk}/edit", form_data()).status_code == 403
    assert Work.objects.filter(pk__in=[draft.pk, posted.pk]).count() == 2
    assert Work.objects.get(pk=draft.pk).posted is False


def test_unknown_work_is_404(writer_client):
    assert writer_client.get("/works/999999/edit").status_code == 404


def test_csrf_is_enforced(writer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)
    assert client.post(NEW, form_data()).status_code == 403
    work = WorkFactory(creator=writer.default_pseud())
    assert client.post(f"/works/{work.pk}/delete").status_code == 403
    assert client.post(f"/works/{work.pk}/edit", form_data()).status_code == 403
    assert Work.objects.filter(pk=work.pk).exists()
    assert Work.objects.count() == 1
    # With the token from the form page, it goes through.
    page = client.get(NEW)
    token = page.context["csrf_token"]
    response = client.post(NEW, {**form_data(), "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    assert Work.objects.count() == 2


# --- Posting -------------------------------------------------------------------------------------


def test_post_a_work_with_everything(writer_client, writer):
    second = PseudFactory(user=writer, name="Victor")
    response = post_new(
        writer_client,
        pseuds=[str(writer.default_pseud().pk), str(second.pk)],
        summary="<p>Two <em>men</em>.</p><script>alert(1)</script>",
        notes="Notes <b>here</b>",
        end_notes="The end.",
        text_format="html",
        chapter_title="Dawn",
        chapter_text='<p>Hello <a href="javascript:alert(1)" onclick="x()">there</a>.</p>',
        series_title="Paris Nights",
        restricted="on",
        comment_permission="registered",
        moderated_comments="on",
        language="fr",
    )
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}"
    assert work.posted and work.publish_at is None
    assert work.title == "The Barricade at Dawn"
    assert "<script>" not in work.summary and "<em>men</em>" in work.summary
    assert work.restricted and work.moderated_comments
    assert work.comment_permission == "registered"
    assert work.language == "fr"
    assert work.chapter_count == 1 and work.complete
    chapter = Chapter.objects.get(work=work)
    assert chapter.title == "Dawn"
    assert "javascript" not in chapter.text and "onclick" not in chapter.text
    assert 'rel="nofollow"' in chapter.text
    assert tags_of(work) == [
        "Teen And Up Audiences",
        "No Archive Warnings Apply",
        "Gen",
        "Les Misérables - Victor Hugo",
        "Javert/Jean Valjean",
        "Javert",
        "Jean Valjean",
        "Rooftops",
        "Redemption",
    ]
    assert Tag.objects.get(name="Javert").type == TagType.CHARACTER
    assert [c.pseud.name for c in work.creatorships.order_by("position")] == ["hugo", "Victor"]
    part = SeriesWork.objects.get(work=work)
    assert part.series.title == "Paris Nights" and part.position == 1
    # The work page shows it to its creator, with the success message.
    page = writer_client.get(f"/works/{work.pk}")
    assert page.status_code == 200
    assert "The Barricade at Dawn" in page.content.decode()


def test_plain_text_becomes_escaped_paragraphs(writer_client):
    post_new(writer_client, chapter_text="One <b>line</b>\nand more.\n\nSecond para.")
    chapter = Chapter.objects.get()
    assert chapter.text == (
        "<p>One &lt;b&gt;line&lt;/b&gt;<br />\nand more.</p>\n<p>Second para.</p>"
    )
    assert chapter.word_count == Work.objects.get().word_count > 4


def test_posted_work_shows_at_once_on_tag_page_and_search(writer_client, client):
    post_new(writer_client, freeforms="Very Unusual Lamplight")
    work = Work.objects.get()
    tag_page = client.get(f"/tags/{tag_to_url('Very Unusual Lamplight')}/works")
    assert tag_page.status_code == 200
    assert work.title in tag_page.content.decode()
    fandom_page = client.get(f"/tags/{tag_to_url('Les Misérables - Victor Hugo')}/works")
    assert work.title in fandom_page.content.decode()
    search = client.get("/works/search", {"q": "barricade"})
    assert search.status_code == 200
    assert work.title in search.content.decode()
    # And the text of the story itself is searchable at once.
    search = client.get("/works/search", {"q": "lamps"})
    assert work.title in search.content.decode()


def test_canonical_tag_used_on_the_form_lists_the_work_under_it(writer_client, client):
    Tag.objects.create(
        name="Found Family", key="found family", type=TagType.FREEFORM, canonical=True
    )
    post_new(writer_client, freeforms="found family")
    work = Work.objects.get()
    assert tags_of(work, TagType.FREEFORM) == ["Found Family"]  # the existing tag, not a new one
    page = client.get("/tags/Found%20Family/works")
    assert work.title in page.content.decode()


def test_save_as_draft_and_preview_keep_it_hidden(writer_client, client, other_client):
    response = post_new(writer_client, action="draft", freeforms="Secret Draft Tag")
    work = Work.objects.get()
    assert response["Location"] == f"/works/{work.pk}/preview"
    assert not work.posted
    response = post_new(writer_client, action="preview", title="Second Draft")
    second = Work.objects.get(title="Second Draft")
    assert response["Location"] == f"/works/{second.pk}/preview"
    assert not second.posted
    preview = writer_client.get(f"/works/{work.pk}/preview")
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "This work is a draft" in html and "The lamps were lit" in html
    assert f'action="/works/{work.pk}/post"' in html
    # Nobody else finds it anywhere.
    for viewer in (client, other_client):
        assert viewer.get(f"/works/{work.pk}").status_code == 404
        assert work.title not in viewer.get("/").content.decode()
        assert work.title not in viewer.get("/works/search", {"q": "barricade"}).content.decode()
        tag = viewer.get("/tags/Secret%20Draft%20Tag/works")
        assert work.title not in tag.content.decode()
        assert work.title not in viewer.get("/users/hugo/works").content.decode()
        assert viewer.get(f"/downloads/{work.pk}/x.txt").status_code == 404
        assert viewer.get(f"/downloads/{work.pk}/x.epub").status_code == 404
    # Its creator sees it on its own page.
    assert writer_client.get(f"/works/{work.pk}").status_code == 200


def test_post_draft_makes_it_public(writer_client, client):
    post_new(writer_client, action="draft")
    work = Work.objects.get()
    response = writer_client.post(f"/works/{work.pk}/post")
    assert response["Location"] == f"/works/{work.pk}"
    work.refresh_from_db()
    assert work.posted
    assert client.get(f"/works/{work.pk}").status_code == 200
    assert work.title in client.get("/works/search", {"q": "barricade"}).content.decode()
    # Posting again is harmless.
    assert writer_client.post(f"/works/{work.pk}/post").status_code == 302
    assert writer_client.get(f"/works/{work.pk}/post").status_code == 405


def test_existing_series_with_position(writer_client, writer):
    first = WorkFactory(creator=writer.default_pseud())
    series = Series.objects.create(title="Paris")
    SeriesWork.objects.create(series=series, work=first, position=1)
    post_new(writer_client, series_existing=str(series.pk))
    post_new(writer_client, series_existing=str(series.pk), series_position="1", title="Prequel")
    order = list(
        SeriesWork.objects.filter(series=series)
        .order_by("position")
        .values_list("work__title", "position")
    )
    assert order == [("Prequel", 1), (first.title, 2), ("The Barricade at Dawn", 3)]


def test_co_creator_is_invited_not_credited(writer_client, other):
    post_new(writer_client, co_creators="dumas")
    work = Work.objects.get()
    assert [c.pseud.user.username for c in work.creatorships.all()] == ["hugo"]
    invitation = CreatorInvitation.objects.get()
    assert invitation.pseud == other.default_pseud()
    assert invitation.state == "pending"
    assert invitation.invited_by.username == "hugo"


# --- Refusals ------------------------------------------------------------------------------------


REFUSALS = [
    ({"rating": None}, "rating", "Rating: Choose a rating."),
    ({"rating": "Scary"}, "rating", "Rating: Choose a rating."),
    ({"warnings": None}, "warnings", "Archive Warnings: Choose at least one warning"),
    ({"warnings": ["Bad Things"]}, "warnings", "Bad Things is not an archive warning"),
    ({"categories": ["Weird"]}, "categories", "Weird is not a category"),
    ({"fandoms": " , "}, "fandoms", "Fandoms: Name at least one fandom."),
    ({"title": "   "}, "title", "Work Title: A work needs a title."),
    ({"title": "x" * 256}, "title", "A title has at most 255 characters; this one has 256."),
    (
        {"characters": "Jav*ert, Cosette"},
        "characters",
        "Characters: &quot;Jav*ert&quot;: a tag name cannot contain *",
    ),
    ({"freeforms": "a" * 151}, "freeforms", "a tag name has at most 150 characters"),
    ({"freeforms": "Mature"}, "freeforms", "is already a Rating tag"),
    ({"summary": "x" * 1251}, "summary", "Summary: A summary can have at most 1,250 characters"),
    ({"notes": "y" * 5001}, "notes", "Notes can have at most 5,000 characters"),
    ({"chapter_text": "   "}, "chapter_text", "Work Text: Your work needs some text."),
    (
        {"chapter_text": "<script>alert(1)</script>", "text_format": "html"},
        "chapter_text",
        "Your work needs some text (what you wrote had none left",
    ),
    ({"pseuds": ["999999"]}, "pseuds", "That pseud (999999) is not one of yours."),
    ({"co_creators": "dumas, nobody_here"}, "co_creators", "no account called &quot;nobody_here"),
    ({"series_title": "S", "series_position": "0"}, "series_position", "whole number of 1 or more"),
    ({"series_title": "S", "series_position": "two"}, "series_position", "not &quot;two&quot;"),
    ({"series_position": "2"}, "series_position", "A part number needs a series."),
    ({"series_existing": "424242"}, "series_existing", "That series is not one of yours."),
    ({"expected_chapters": "-3"}, "expected_chapters", "whole number of 1 or more, or ?"),
    ({"language": "xx-klingon"}, "language", "is not a language the archive knows"),
    ({"comment_permission": "cats"}, "comment_permission", "Select a valid choice"),
    ({"publish_at": "2001-01-01T10:00"}, "publish_at", "Post at: 2001-01-01 10:00 has already"),
    ({"publish_at": "tomorrow"}, "publish_at", "Enter a date and time"),
]


@pytest.mark.parametrize(("changes", "field", "message"), REFUSALS)
def test_refusals_name_the_field(writer_client, other, changes, field, message):
    response = post_new(writer_client, **changes)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert field in response.context["form"].errors
    assert 'role="alert"' in html  # the summary of problems at the top
    assert f'href="#id_{field}' in html
    assert Work.objects.count() == 0
    assert Tag.objects.filter(name="Cosette").count() == 0  # nothing half-stored


def test_pseuds_other_accounts_pseud_is_refused(writer_client, other):
    response = post_new(writer_client, pseuds=[str(other.default_pseud().pk)])
    assert response.status_code == 400
    assert "is not one of yours" in response.content.decode()


def test_more_than_75_user_tags_is_refused(writer_client):
    freeforms = ", ".join(f"Tag {n}" for n in range(72))
    response = post_new(writer_client, freeforms=freeforms)  # 1 + 1 + 2 + 72 = 76
    assert response.status_code == 400
    assert "at most 75 fandoms, relationships, characters and additional tags together" in (
        response.content.decode()
    )
    assert "this one has 76" in response.content.decode()
    freeforms = ", ".join(f"Tag {n}" for n in range(71))  # exactly 75
    assert post_new(writer_client, freeforms=freeforms).status_code == 302


def test_summary_length_counts_text_not_markup(writer_client):
    # 1,250 characters of text in plenty of markup is fine: formatting is not counted.
    summary = "<p>" + "<em>" + "x" * 1250 + "</em></p>"
    response = post_new(writer_client, summary=summary, text_format="html")
    assert response.status_code == 302
    assert "<em>" in Work.objects.get().summary


def test_repeated_tags_in_a_field_count_once(writer_client):
    post_new(writer_client, characters="Javert, javert,  JAVERT , Cosette")
    assert tags_of(Work.objects.get(), TagType.CHARACTER) == ["Javert", "Cosette"]


def test_titles_and_tags_are_escaped_on_the_form_and_work(writer_client, client):
    post_new(writer_client, title="<b>Bold</b> & co", freeforms="<i>x</i>")
    assert Work.objects.count() == 0  # < and > are forbidden in tag names
    post_new(writer_client, title="<b>Bold</b> & co", freeforms="Ampersand & Co")
    work = Work.objects.get()
    html = client.get(f"/works/{work.pk}").content.decode()
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in html


# --- Editing -------------------------------------------------------------------------------------


def test_edit_form_is_prefilled(writer_client):
    post_new(writer_client, series_title="Paris Nights", series_position="2")
    work = Work.objects.get()
    response = writer_client.get(f"/works/{work.pk}/edit")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["title"] == "The Barricade at Dawn"
    assert form.initial["characters"] == "Javert, Jean Valjean"
    assert form.initial["rating"] == "Teen And Up Audiences"
    assert form.initial["series_position"] == "2"
    assert "The lamps were lit one by one." in form.initial["chapter_text"]
    html = response.content.decode()
    assert "Update" in html and "Save as draft" not in html  # a posted work
    assert 'name="publish_at"' not in html


def test_edit_changes_tags_and_tag_pages_follow_at_once(writer_client, client):
    post_new(writer_client, freeforms="Old Tag")
    work = Work.objects.get()
    assert work.title in client.get("/tags/Old%20Tag/works").content.decode()
    data = form_data(
        freeforms="New Tag",
        title="Renamed",
        text_format="html",
        chapter_text="<p>Brand new words here.</p>",
    )
    response = writer_client.post(f"/works/{work.pk}/edit", data)
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}"
    work.refresh_from_db()
    assert work.title == "Renamed"
    assert tags_of(work, TagType.FREEFORM) == ["New Tag"]
    assert "Renamed" not in client.get("/tags/Old%20Tag/works").content.decode()
    assert "Renamed" in client.get("/tags/New%20Tag/works").content.decode()
    assert Chapter.objects.get(work=work).text == "<p>Brand new words here.</p>"
    assert work.word_count == 4
    assert "Renamed" in client.get("/works/search", {"q": "brand"}).content.decode()


def test_edit_keeps_co_creators_and_chapters_of_a_multichapter_work(writer_client, writer, other):
    post_new(writer_client)
    work = Work.objects.get()
    Chapter.objects.create(work=work, position=2, text="<p>Two</p>", published=work.published)
    from fanarchive.works.models import Creatorship

    Creatorship.objects.create(work=work, pseud=other.default_pseud(), position=1)
    data = form_data(chapter_text=None, chapter_title=None, text_format=None, title="Edited")
    data["expected_chapters"] = "?"
    page = writer_client.get(f"/works/{work.pk}/edit")
    assert 'name="chapter_text"' not in page.content.decode()
    refused = writer_client.post(f"/works/{work.pk}/edit", {**data, "expected_chapters": "1"})
    assert refused.status_code == 400
    assert "Expected number of chapters: This work already has 2 chapters" in (
        refused.content.decode()
    )
    response = writer_client.post(f"/works/{work.pk}/edit", data)
    assert response.status_code == 302, response.context["form"].errors
    work.refresh_from_db()
    assert work.title == "Edited"
    assert Chapter.objects.filter(work=work).count() == 2
    assert {c.pseud.user.username for c in work.creatorships.all()} == {"hugo", "dumas"}
    assert work.expected_chapters is None and not work.complete
    # The other creator may edit it too.
    other_client = Client()
    other_client.force_login(other)
    assert other_client.get(f"/works/{work.pk}/edit").status_code == 200


def test_edit_refusal_keeps_the_work(writer_client):
    post_new(writer_client)
    work = Work.objects.get()
    response = writer_client.post(f"/works/{work.pk}/edit", form_data(rating=None))
    assert response.status_code == 400
    assert "Rating: Choose a rating." in response.content.decode()
    work.refresh_from_db()
    assert tags_of(work, TagType.RATING) == ["Teen And Up Audiences"]


def test_edit_draft_then_post_it(writer_client, client):
    post_new(writer_client, action="draft")
    work = Work.objects.get()
    page = writer_client.get(f"/works/{work.pk}/edit")
    assert "Save as draft" in page.content.decode()
    response = writer_client.post(f"/works/{work.pk}/edit", form_data(action="post"))
    assert response["Location"] == f"/works/{work.pk}"
    work.refresh_from_db()
    assert work.posted
    assert client.get(f"/works/{work.pk}").status_code == 200


# --- Deleting ------------------------------------------------------------------------------------


def test_delete_asks_then_deletes(writer_client, client):
    post_new(writer_client, series_title="Lonely Series", freeforms="Soon Gone")
    work = Work.objects.get()
    page = writer_client.get(f"/works/{work.pk}/delete")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Are you sure you want to delete" in html and 'method="post"' in html
    assert Work.objects.filter(pk=work.pk).exists()
    response = writer_client.post(f"/works/{work.pk}/delete")
    assert response.status_code == 302
    assert response["Location"] == "/users/hugo/works"
    assert not Work.objects.filter(pk=work.pk).exists()
    assert not Series.objects.filter(title="Lonely Series").exists()
    assert client.get(f"/works/{work.pk}").status_code == 404
    assert "The Barricade" not in client.get("/tags/Soon%20Gone/works").content.decode()
    assert "The Barricade" not in client.get("/works/search", {"q": "barricade"}).content.decode()


def test_staff_cannot_edit_others_work_through_the_form(db, writer):
    admin = UserFactory(username="boss", is_staff=True, is_superuser=True)
    work = WorkFactory(creator=writer.default_pseud())
    client = Client()
    client.force_login(admin)
    assert client.get(f"/works/{work.pk}/edit").status_code == 403


def test_form_offers_only_the_writers_pseuds_and_series(db):
    from fanarchive.posting.forms import WorkForm

    mine = UserFactory(username="mine")
    theirs = UserFactory(username="theirs")
    their_work = WorkFactory(creator=theirs.default_pseud())
    series = Series.objects.create(title="Theirs")
    SeriesWork.objects.create(series=series, work=their_work, position=1)
    form = WorkForm(user=mine)
    assert [label for _v, label in form.fields["pseuds"].choices] == ["mine"]
    assert [label for _v, label in form.fields["series_existing"].choices] == ["None"]
    assert reverse("posting:work_new") == NEW


def test_drafts_page_lists_own_drafts_only(writer_client, other_client, client):
    post_new(writer_client, action="draft", title="My Draft")
    post_new(writer_client, title="Posted One")
    response = writer_client.get("/users/hugo/works/drafts")
    assert response.status_code == 200
    html = response.content.decode()
    draft = Work.objects.get(title="My Draft")
    assert "My Draft" in html and "Posted One" not in html
    assert f'href="/works/{draft.pk}/preview"' in html
    assert other_client.get("/users/hugo/works/drafts").status_code == 404
    assert client.get("/users/hugo/works/drafts").status_code == 302
