"""The 5 ratings, 6 archive warnings and 6 categories exist from the first migration on."""

from django.db import migrations

# Frozen copies: a migration must not change when fanarchive.tags.fixed does.
FIXED = {
    "rating": ["Not Rated", "General Audiences", "Teen And Up Audiences", "Mature", "Explicit"],
    "warning": [
        "Creator Chose Not To Use Archive Warnings",
        "No Archive Warnings Apply",
        "Graphic Depictions Of Violence",
        "Major Character Death",
        "Rape/Non-Con",
        "Underage Sex",
    ],
    "category": ["Gen", "F/M", "M/M", "F/F", "Multi", "Other"],
}


def key(name: str) -> str:
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def create(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    for tag_type, names in FIXED.items():
        for name in names:
            Tag.objects.get_or_create(
                key=key(name), defaults={"name": name, "type": tag_type, "canonical": True}
            )


def remove(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    Tag.objects.filter(type__in=FIXED).delete()


class Migration(migrations.Migration):
    dependencies = [("tags", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
