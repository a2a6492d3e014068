"""Trigram search on PostgreSQL for the admin list of cases, which finds a case by any part of
its shop's name (``applicant__shop_name__icontains``): a GIN index on the expression Django
compares, ``UPPER(shop_name::text)``. The ``pg_trgm`` extension comes with the certificates'
index; other databases get nothing."""

from django.db import migrations

INDEX = "applicant_shop_name_trgm"


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON maalem_onboarding_applicantprofile "
            "USING gin ((UPPER(shop_name::text)) gin_trgm_ops)"
        )


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("maalem_onboarding", "0008_webhook_next_attempt"),
        ("maalem_certificates", "0005_trigram_search_on_printed_names"),
    ]

    operations = [migrations.RunPython(add_index, remove_index, elidable=False)]
