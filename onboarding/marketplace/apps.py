from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "onboarding.marketplace"
    label = "maalem_marketplace"
    verbose_name = _("Marketplace")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the receiver that takes a seller's page offline when its case stops selling.
        from maalem.core import personal_data as kernel_data
        from maalem.core import retention

        from . import (  # noqa: F401
            order_receivers,
            order_retention,
            order_tasks,
            personal_data,
            product_photos,
            products,
            receivers,
        )

        retention.register("marketplace", products.purge_deleted)
        retention.register("marketplace.orders", order_retention.purge_buyer_data)
        # Her products and their photos are in "Download my data".
        kernel_data.register("marketplace", exporter=personal_data.export)

        # Every order in one file, written by a worker (no buyer's personal data in it).
        from maalem.core import background_exports

        background_exports.register(
            "marketplace_order:index",
            label=_("Orders"),
            may_export=lambda user: user.has_perm("maalem_marketplace.view_order"),
        )
