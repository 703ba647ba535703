"""Sign-ups are no longer in Wagtail's reference index (page usage screens must not list them):
the rows indexed so far go too, or they would outlive the records they name."""

from django.db import migrations


def forget_intake_records(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    content_type = ContentType.objects.filter(
        app_label="doorvertellen", model="intakerecord"
    ).first()
    if content_type is not None:
        ReferenceIndex.objects.filter(content_type=content_type).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("doorvertellen", "0009_landing_page_of_the_version_on_intake_records"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(forget_intake_records, migrations.RunPython.noop)]
