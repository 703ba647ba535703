"""Wagtail creates "Editors" and "Moderators" groups; this project has its own Dutch roles
(see doorvertellen.roles). Remove the defaults while nobody uses them, so staff are not put in a
group whose rights nobody reviewed."""

from django.db import migrations


def remove_unused_default_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=["Editors", "Moderators"], user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("doorvertellen", "0002_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(remove_unused_default_groups, migrations.RunPython.noop)]
