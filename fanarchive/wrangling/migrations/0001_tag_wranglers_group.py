"""The "Tag Wranglers" group, holding the permission tags.wrangle_tags. Staff add people to it
in the admin."""

from django.db import migrations

GROUP = "Tag Wranglers"


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Permissions are normally created after `migrate` (post_migrate); make this one now so the
    # group can hold it. create_permissions later finds it and leaves it alone.
    content_type, _ = ContentType.objects.get_or_create(app_label="tags", model="wranglingaction")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="wrangle_tags", defaults={"name": "Can wrangle tags"}
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("tags", "0003_wrangling"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
