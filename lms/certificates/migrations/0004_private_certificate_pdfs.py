"""Certificate PDFs move from the public media folder to the private storage, each under a
random name; only the download view hands them over."""

from django.core.files.storage import default_storage
from django.db import migrations, models

import lms.certificates.models.certificate
import maalem.core.private_files


def move_pdfs_to_private_storage(apps, schema_editor):
    from maalem.core.private_files import private_storage, random_name

    certificate_model = apps.get_model("maalem_certificates", "Certificate")
    for certificate in certificate_model.objects.exclude(pdf=""):
        public_name = certificate.pdf.name
        if not default_storage.exists(public_name):
            continue  # already moved, or never there: the PDF is rendered again on demand
        with default_storage.open(public_name, "rb") as public:
            name = private_storage().save(random_name("certificates", "pdf"), public)
        certificate_model.objects.filter(pk=certificate.pk).update(pdf=name)
        default_storage.delete(public_name)


class Migration(migrations.Migration):
    dependencies = [
        ("maalem_certificates", "0003_status_lists_pending_issuances_and_issued_at_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="pdf",
            field=models.FileField(
                blank=True,
                max_length=255,
                storage=maalem.core.private_files.private_storage,
                upload_to=lms.certificates.models.certificate.certificate_upload_to,
                verbose_name="PDF",
            ),
        ),
        migrations.RunPython(move_pdfs_to_private_storage, migrations.RunPython.noop),
    ]
