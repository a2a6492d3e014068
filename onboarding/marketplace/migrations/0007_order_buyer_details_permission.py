"""The operators' permission to see who bought an order (her name and mobile number).

Made here rather than in ``Order.Meta.permissions``: the model's module belongs to the orders'
own migrations, and a permission row is all the admin needs. ``get_or_create`` keeps it safe to
run where the row already exists.
"""

from django.db import migrations

CODENAME = "view_buyer_details"
NAME = "Can see the buyer's name and mobile number"


def add_permission(apps, schema_editor):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    content_type, _ = content_type_model.objects.get_or_create(
        app_label="maalem_marketplace", model="order"
    )
    permission_model.objects.get_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": NAME}
    )


def remove_permission(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="maalem_marketplace", codename=CODENAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("maalem_marketplace", "0006_order_buyer_token"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(add_permission, remove_permission)]
