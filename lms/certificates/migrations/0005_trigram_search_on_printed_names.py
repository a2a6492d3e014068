"""Trigram search on PostgreSQL: the admin list of certificates finds a name by any part of it
(``learner_name__icontains``, which Django writes as ``UPPER(learner_name::text) LIKE``), so the
index is on that very expression, through the ``pg_trgm`` extension. Nothing on other databases."""

from django.db import migrations

INDEX = "certificate_learner_name_trgm"


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON maalem_certificates_certificate "
        "USING gin ((UPPER(learner_name::text)) gin_trgm_ops)"
    )


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("maalem_certificates", "0004_private_certificate_pdfs")]

    operations = [migrations.RunPython(add_index, remove_index, elidable=False)]
