"""What the marketplace holds about a seller for her data export: her products and their photos,
and the orders of her shop (what was sold, when, for how much, the fee and what she received;
not who bought, which is the buyer's data, not hers).

Her products go when her seller page does (withdrawal or erasure, through onboarding's eraser:
they are deleted with the page, and their photos' files with them), so this app registers an
exporter only.
"""

from __future__ import annotations

from typing import Any

from maalem.core.personal_data import Section
from maalem.core.private_files import private_storage

from .order_models import Order
from .product_models import Product


def _opener(name: str) -> Any:
    return lambda: private_storage().open(name, "rb")


def export(user: Any) -> Section:
    section = Section(data={"products": [], "orders": _orders(user)})
    products = (
        Product.objects.filter(seller__case__learner_id=user.pk)
        .select_related("craft")
        .prefetch_related("photos")
        .order_by("pk")
    )
    for product in products:
        photos = []
        for photo in product.photos.all():
            name = f"product-{product.public_id}-{photo.position + 1}.jpg"
            photos.append(name)
            if photo.private_name:
                section.files.append((name, _opener(photo.private_name)))
        section.data["products"].append(
            {
                "id": product.public_id,
                "status": product.status,
                "title_ar": product.title_ar,
                "title_fr": product.title_fr,
                "description_ar": product.description_ar,
                "description_fr": product.description_fr,
                "price_centimes": product.price,
                "availability": product.availability,
                "quantity": product.quantity,
                "craft": product.craft.code if product.craft else "",
                "created_at": product.created_at,
                "updated_at": product.updated_at,
                "deleted_at": product.deleted_at,
                "photos": photos,
            }
        )
    return section


def _orders(user: Any) -> list[dict[str, Any]]:
    orders = (
        Order.objects.filter(seller__case__learner_id=user.pk)
        .prefetch_related("items")
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    return [
        {
            "number": order.public_id,
            "state": order.state,
            "currency": order.currency,
            "items_centimes": order.items_total,
            "fee_centimes": order.fee,
            "net_centimes": order.net,
            "ordered_at": order.created_at,
            "paid_at": order.paid_at,
            "lines": [
                {
                    "title": item.title,
                    "unit_price_centimes": item.unit_price,
                    "quantity": item.quantity,
                }
                for item in order.items.all()
            ],
        }
        for order in orders
    ]
