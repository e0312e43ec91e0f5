"""Loading AO3's tag dump and metatag pairs, real files and broken ones."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from fanarchive.tags.ao3dump import DumpError, load_metatag_pairs, load_tag_dump
from fanarchive.tags.models import MetaTagging, Tag, TagType

pytestmark = pytest.mark.django_db

DUMP = Path(settings.FANARCHIVE_SHARED_DATA) / "ao3" / "dump-2021-tags-sample.csv"


def write(tmp_path, text, name="tags.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_real_dump_sample_loads_with_its_quirks():
    report = load_tag_dump(DUMP)
    assert report.created > 1500
    assert report.synonyms > 0
    assert Tag.objects.filter(type=TagType.MEDIA, name="TV Shows", canonical=True).exists()
    # Fixed tags are matched, never duplicated, whatever the dump calls them.
    assert Tag.objects.filter(type=TagType.WARNING).count() == 6
    assert Tag.objects.filter(type=TagType.RATING).count() == 5
    cowritten = Tag.objects.get(name="cowritten")
    assert cowritten.merger.name == "Co-Written"
    assert cowritten.merger.canonical
    # Loading twice changes nothing.
    again = load_tag_dump(DUMP)
    assert again.created == 0
    assert again.synonyms == 0


def test_dump_rows_that_cannot_load_are_skipped_with_the_line(tmp_path):
    path = write(
        tmp_path,
        "id,type,name,canonical,cached_count,merger_id\n"
        "1,Freeform,Fluff,TRUE,10,\n"
        "2,Freeform,Redacted,FALSE,1,\n"
        "3,Spaceship,Enterprise,TRUE,1,\n"
        "4,Freeform,fluffy,FALSE,1,1\n"
        "5,Freeform,bad{name},FALSE,1,\n"
        "6,ArchiveWarning,Choose Not To Use Archive Warnings,TRUE,5,\n"
        "7,Character,Fluff,TRUE,1,\n"
        "8,Freeform,maybe,PERHAPS,1,\n",
    )
    report = load_tag_dump(path)
    assert report.created == 2
    assert Tag.objects.get(name="fluffy").merger.name == "Fluff"
    assert report.skipped["redacted name"] == 1
    assert report.skipped["unknown type"] == 1
    assert report.skipped["invalid name"] == 1
    assert report.skipped["type conflict"] == 1
    assert report.skipped["bad canonical"] == 1
    assert any(p.startswith(f"{path}:4:") and "Spaceship" in p for p in report.problems)
    assert not Tag.objects.filter(name__in=["Redacted", "Enterprise"]).exists()


def test_a_file_without_the_columns_is_refused(tmp_path):
    path = write(tmp_path, "name,kind\nFluff,Freeform\n")
    with pytest.raises(DumpError, match=r"tags.csv:1: expected the columns"):
        load_tag_dump(path)
    with pytest.raises(DumpError, match="cannot be read"):
        load_tag_dump(tmp_path / "missing.csv")


def test_metatag_pairs_link_canonical_tags_and_skip_cycles(tmp_path):
    for name in ["Alternate Universe", "Alternate Universe - Modern Setting", "Coffee Shop AU"]:
        Tag.objects.create(name=name, key=name.casefold(), type=TagType.FREEFORM, canonical=True)
    Tag.objects.create(name="Javert", key="javert", type=TagType.CHARACTER, canonical=True)
    Tag.objects.create(name="sad au", key="sad au", type=TagType.FREEFORM)
    path = write(
        tmp_path,
        "Tag Name,Metatag Name\n"
        "Alternate Universe - Modern Setting,Alternate Universe\n"
        "Coffee Shop AU,Alternate Universe - Modern Setting\n"
        "Alternate Universe,Coffee Shop AU\n"
        "Javert,Alternate Universe\n"
        "Nobody Knows,Alternate Universe\n"
        "sad au,Alternate Universe\n"
        "Coffee Shop AU,Alternate Universe - Modern Setting\n",
        name="pairs.csv",
    )
    report = load_metatag_pairs(path)
    assert report.links == 2
    assert report.skipped == {"cycle": 1, "type mismatch": 1, "unknown tag": 1, "not canonical": 1}
    assert report.unchanged == 1
    assert MetaTagging.objects.count() == 2


def test_the_command_reports_and_unknown_names_are_clear_errors(tmp_path, capsys):
    call_command("tags", "import-ao3", str(DUMP))
    out = capsys.readouterr().out
    assert "created" in out
    assert "skipped" in out
    with pytest.raises(CommandError, match='No tag named "Definitely Not A Tag"'):
        call_command("tags", "canonical", "Definitely Not A Tag")


def test_cli_wrangling_actions(capsys):
    call_command("tags", "import-ao3", str(DUMP))
    Tag.objects.create(name="Valjean/Javert", key="valjean/javert", type=TagType.RELATIONSHIP)
    Tag.objects.create(
        name="Javert/Jean Valjean", key="javert/jean valjean", type=TagType.RELATIONSHIP
    )
    call_command("tags", "canonical", "Javert/Jean Valjean")
    call_command("tags", "synonym", "valjean/javert", "--of", "javert/jean valjean")
    assert Tag.objects.get(name="Valjean/Javert").merger.name == "Javert/Jean Valjean"
    with pytest.raises(CommandError, match="type of its canonical"):
        call_command("tags", "synonym", "Fluff", "--of", "Javert/Jean Valjean")


def test_show_json_describes_the_tag_and_counts_its_works(capsys):
    import json

    from fanarchive.tags.wrangling import tag_add_metatag, tag_make_synonym
    from fanarchive.works.filters import work_filters_recompute
    from fanarchive.works.tests.factories import WorkFactory

    au = Tag.objects.create(
        name="Alternate Universe", key="alternate universe", type=TagType.FREEFORM, canonical=True
    )
    survives = Tag.objects.create(
        name="Alternate Universe - Javert Survives",
        key="alternate universe - javert survives",
        type=TagType.FREEFORM,
        canonical=True,
    )
    loose = Tag.objects.create(name="javert lives au", key="javert lives au", type=TagType.FREEFORM)
    works = [WorkFactory(tags=[loose]), WorkFactory(tags=[survives], restricted=True)]
    work_filters_recompute(work_ids=[w.pk for w in works])
    tag_make_synonym(tag=loose, of=survives, wrangler=None)
    tag_add_metatag(tag=survives, meta=au, wrangler=None)
    capsys.readouterr()

    call_command("tags", "show", "alternate universe - javert survives", "--json")
    shown = json.loads(capsys.readouterr().out)
    assert shown["name"] == "Alternate Universe - Javert Survives"
    assert shown["type"] == "Additional Tags"
    assert shown["canonical"] is True
    assert shown["canonical_tag"] is None
    assert shown["synonyms"] == ["javert lives au"]
    assert shown["metatags"] == ["Alternate Universe"]
    assert shown["work_count"] == 1
    assert shown["work_count_logged_in"] == 2
    call_command("tags", "show", "Alternate Universe", "--json")
    assert json.loads(capsys.readouterr().out)["subtags"] == [survives.name]


def test_suggest_json_names_the_canonical_with_a_reason(capsys):
    import json

    load_tag_dump(DUMP)
    capsys.readouterr()
    call_command("tags", "suggest", "house md", "--type", "fandom", "--json")
    shown = json.loads(capsys.readouterr().out)
    assert set(shown) >= {"synonyms", "parents"}
    first = shown["synonyms"][0]
    assert first["name"] == "House M.D."
    assert 0 < first["score"] <= 1
    assert first["reason"]
    call_command("tags", "suggest", "zzqx nothing like it", "--json")
    assert json.loads(capsys.readouterr().out)["synonyms"] == []


def test_cli_metatags_and_parents_are_added_and_removed():
    from fanarchive.tags.models import ParentTagging

    au = Tag.objects.create(
        name="Alternate Universe", key="alternate universe", type=TagType.FREEFORM, canonical=True
    )
    modern = Tag.objects.create(
        name="Modern AU", key="modern au", type=TagType.FREEFORM, canonical=True
    )
    fandom = Tag.objects.create(name="Les Mis", key="les mis", type=TagType.FANDOM, canonical=True)
    call_command("tags", "meta", "modern au", "--add", "Alternate Universe")
    assert MetaTagging.objects.filter(meta=au, sub=modern).exists()
    call_command("tags", "parent", "Modern AU", "--add", "les mis")
    assert ParentTagging.objects.filter(parent=fandom, child=modern).exists()
    call_command("tags", "meta", "Modern AU", "--remove", "Alternate Universe")
    call_command("tags", "parent", "Modern AU", "--remove", "Les Mis")
    assert not MetaTagging.objects.exists()
    assert not ParentTagging.objects.exists()
    with pytest.raises(CommandError, match="type of its subtag"):
        call_command("tags", "meta", "Modern AU", "--add", "Les Mis")
