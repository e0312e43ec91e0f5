"""The wranglers' pages. Every view is behind `wrangler_required`; every action is a POST that
calls a service, reports the result with django messages and redirects back (PRG)."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from fanarchive.core.redirects import safe_next
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.selectors import tag_by_name, tag_relations, wrangling_history
from fanarchive.tags.wrangling import WranglingError
from fanarchive.works.models import WorkTag
from fanarchive.works.permissions import visible_works

from . import selectors
from .forms import ActionForm, SetFandomForm
from .permissions import wrangler_required
from .services import ACTIONS, BULK_ACTIONS, tags_apply_action, work_set_fandom, works_infer_fandom

PLURALS: dict[str, str] = {
    TagType.FANDOM: "fandoms",
    TagType.RELATIONSHIP: "relationships",
    TagType.CHARACTER: "characters",
    TagType.FREEFORM: "additional tags",
}
# What the target of each bulk action must be, for the autocomplete ("same" = the tags' type).
TARGET_TYPES = {
    "synonym": "same",
    "add_meta": "same",
    "remove_meta": "same",
    "add_parent": TagType.FANDOM,
    "remove_parent": TagType.FANDOM,
}


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Redirect to the form's `next` if it is a URL of this site, else to `fallback`."""
    return HttpResponseRedirect(safe_next(request, fallback))


def _bulk_actions(tag_type: str) -> list[dict[str, str]]:
    out = []
    for key in BULK_ACTIONS:
        target_type = TARGET_TYPES.get(key, "")
        out.append(
            {
                "value": key,
                "label": ACTIONS[key].label,
                "target_type": tag_type if target_type == "same" else target_type,
            }
        )
    return out


@wrangler_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """`/wrangling/`: fandoms with unwrangled tags, how many of each type; unassigned tags."""
    unassigned = selectors.unassigned_counts()
    return render(
        request,
        "wrangling/home.html",
        {
            "bins": selectors.fandom_bins(),
            "unassigned": [(t, TagType(t).label, unassigned[t]) for t in unassigned],
            "bin_types": [(t, TagType(t).label) for t in selectors.BIN_TYPES],
        },
    )


@wrangler_required
@require_GET
def fandom_bin(request: HttpRequest, fandom: str, tag_type: str) -> HttpResponse:
    """`/wrangling/fandoms/<fandom>/<type>`: the fandom's tags of one type."""
    tag = tag_by_name(fandom)
    if tag is None or tag.type != TagType.FANDOM:
        raise Http404("No such fandom")
    if tag_type not in selectors.BIN_TYPES:
        raise Http404("No such tag type")
    if tag.merger_id:
        url = reverse("wrangling:fandom_bin", args=[tag.merger.name, tag_type])  # type: ignore[union-attr]
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    return _bin(request, fandom=tag, tag_type=tag_type)


@wrangler_required
@require_GET
def unassigned_bin(request: HttpRequest, tag_type: str) -> HttpResponse:
    """`/wrangling/unassigned/<type>`: tags of one type with no fandom parent."""
    if tag_type not in selectors.UNASSIGNED_TYPES:
        raise Http404("No such tag type")
    return _bin(request, fandom=None, tag_type=tag_type)


def _bin(request: HttpRequest, *, fandom: Tag | None, tag_type: str) -> HttpResponse:
    status = request.GET.get("status", "unwrangled")
    status = status if status in selectors.STATUSES else "unwrangled"
    sort = request.GET.get("sort", "name")
    sort = sort if sort in selectors.SORTS else "name"
    try:
        page = selectors.bin_tags(
            fandom=fandom,
            tag_type=tag_type,
            status=status,
            sort=sort,
            page=request.GET.get("page") or 1,
        )
    except InvalidPage as exc:
        raise Http404("No such page") from exc
    tags = list(page.object_list)
    parents = selectors.parents_of(tags)
    advice = (
        selectors.assistant_advice(tags, fandom=fandom, parents=parents)
        if status == "unwrangled"
        else {}
    )
    rows = [{"tag": t, "parents": parents[t.pk], "advice": advice.get(t.pk)} for t in tags]
    types = selectors.BIN_TYPES if fandom is not None else selectors.UNASSIGNED_TYPES
    return render(
        request,
        "wrangling/bin.html",
        {
            "fandom": fandom,
            "tag_type": tag_type,
            "type_label": TagType(tag_type).label,
            "type_plural": PLURALS[tag_type],
            "types": [(t, TagType(t).label) for t in types],
            "status": status,
            "statuses": selectors.STATUSES,
            "sort": sort,
            "page": page,
            "rows": rows,
            "actions": _bulk_actions(tag_type),
            "query": urlencode({"status": status, "sort": sort}),
            "here": request.get_full_path(),
        },
    )


@wrangler_required
@require_GET
def tag_edit(request: HttpRequest, name: str) -> HttpResponse:
    """`/wrangling/tags/<name>`: a tag's relations, a form for each change, its history and the
    assistant's suggestions."""
    tag = tag_by_name(name)
    if tag is None:
        raise Http404("No such tag")
    relations = tag_relations(tag)
    suggestions = None
    if not tag.canonical and not tag.merger_id and tag.type != TagType.RATING:
        try:
            from fanarchive.tags.assistant import suggest

            found = suggest(tag.name, tag_type=tag.type)
            suggestions = {
                "synonyms": [s for s in found.synonyms if s.name != tag.name][:3],
                "parents": [
                    s for s in found.parents if s.name not in {p.name for p in relations["parents"]}
                ][:3],
            }
        except Exception:  # the assistant is optional: never let it break the page
            selectors.log.exception("wrangling assistant failed for %s", tag.name)
    return render(
        request,
        "wrangling/tag_edit.html",
        {
            "tag": tag,
            "relations": relations,
            "history": wrangling_history(tag),
            "uses": WorkTag.objects.filter(tag=tag).count(),
            "suggestions": suggestions,
            "parent_type": TagType.FANDOM if tag.type != TagType.FANDOM else TagType.MEDIA,
            "here": request.get_full_path(),
        },
    )


@wrangler_required
@require_POST
def tag_action(request: HttpRequest) -> HttpResponse:
    """One action on the ticked tags (bulk form, tag page forms, one-click suggestions)."""
    form = ActionForm(request.POST)
    fallback = reverse("wrangling:home")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                # ErrorList yields message strings; the stubs type its items as
                # ValidationError | str.
                messages.error(request, cast(str, error))
        return _back(request, fallback)
    data = form.cleaned_data
    try:
        result = tags_apply_action(
            tags=list(data["tags"]),
            action=data["action"],
            target=data["target"],
            wrangler=request.user,  # type: ignore[arg-type]
        )
    except WranglingError as exc:
        messages.error(request, str(exc))
        return _back(request, fallback)
    if result.summary:
        messages.success(request, result.summary)
    for error in result.errors:
        messages.error(request, error)
    if data["action"] == "rename" and result.done:
        # The old name's page is gone: go to the new one.
        return redirect("wrangling:tag", result.done[0].name)
    return _back(request, fallback)


@wrangler_required
@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    """`/wrangling/autocomplete?term=…&type=…`: matching tags, canonical ones first."""
    results = selectors.autocomplete(
        term=request.GET.get("term", "")[:150], tag_type=request.GET.get("type", "")
    )
    return JsonResponse({"results": results})


@wrangler_required
@require_GET
def works_needing_fandom(request: HttpRequest) -> HttpResponse:
    """`/wrangling/works-needing-fandom`: posted works with no fandom tag."""
    try:
        page = selectors.works_needing_fandom(
            viewer=request.user, page=request.GET.get("page") or 1
        )
    except InvalidPage as exc:
        raise Http404("No such page") from exc
    return render(
        request,
        "wrangling/works_needing_fandom.html",
        {"page": page, "here": request.get_full_path()},
    )


@wrangler_required
@require_POST
def set_fandom(request: HttpRequest) -> HttpResponse:
    form = SetFandomForm(request.POST)
    fallback = reverse("wrangling:works_needing_fandom")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                # ErrorList yields message strings; the stubs type its items as
                # ValidationError | str.
                messages.error(request, cast(str, error))
        return _back(request, fallback)
    work, name = form.cleaned_data["work"], form.cleaned_data["fandom"]
    fandom = tag_by_name(name)
    if fandom is None:
        messages.error(request, f"There is no tag named “{name}”.")
        return _back(request, fallback)
    try:
        work_set_fandom(work=work, fandom=fandom, wrangler=request.user)  # type: ignore[arg-type]
    except WranglingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{work.title}” is now in {fandom.name}.")
    return _back(request, fallback)


@wrangler_required
@require_POST
def infer_fandoms(request: HttpRequest) -> HttpResponse:
    """Infer fandoms again for the listed works (after wranglers added parents)."""
    ids = list(
        selectors.works_without_fandom(visible_works(request.user)).values_list("id", flat=True)
    )
    report = works_infer_fandom(work_ids=ids)
    got = len(report["inferred"])
    still = len(report["ambiguous"]) + len(report["unknown"])
    messages.success(
        request,
        f"{got} work{'s' if got != 1 else ''} got a fandom; "
        f"{still} still need{'s' if still == 1 else ''} one.",
    )
    return redirect("wrangling:works_needing_fandom")
