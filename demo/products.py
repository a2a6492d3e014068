"""The demo sellers' products, in Arabic and French, with photos, in every state a seller sees:
for sale (made to order, in stock, out of stock), a draft and a hidden one.

Made by the sellers' own service (:mod:`onboarding.marketplace.products`) and photo path, so the
photos are re-encoded without their phone metadata as every upload is. A seller who already
has products is left as she is.
"""

from __future__ import annotations

from onboarding.marketplace.models import Product, SellerProfilePage
from onboarding.marketplace.product_photos import add_photo
from onboarding.marketplace.products import hide, save_product

from .photos import phone_photo

# (Arabic name, French name, Arabic description, French description, price in centimes,
#  stock: None when made to order, status)
Item = tuple[str, str, str, str, int, int | None, str]

ITEMS: dict[str, list[Item]] = {
    "carpet-weaving": [
        (
            "زربية صغيرة",
            "Petit tapis",
            "زربية من الصوف، منسوجة باليد.",
            "Tapis en laine, tissé à la main.",
            85000,
            2,
            "live",
        ),
        (
            "زربية حسب المقاس",
            "Tapis sur mesure",
            "أخبرني بالمقاس والألوان.",
            "Dites-moi la taille et les couleurs.",
            320000,
            None,
            "live",
        ),
        ("وسادة مطرزة", "Coussin brodé", "", "", 25050, 0, "live"),
        ("حنبل", "Hanbel", "", "Hanbel en laine.", 60000, None, "draft"),
        ("زربية قديمة", "Ancien tapis", "", "", 150000, 1, "hidden"),
    ],
    "wood-carving": [
        (
            "علبة من خشب العرعار",
            "Boîte en thuya",
            "علبة منقوشة باليد.",
            "Boîte sculptée à la main.",
            18000,
            6,
            "live",
        ),
        ("مرآة بإطار منقوش", "Miroir à cadre sculpté", "", "Cadre en cèdre.", 95000, None, "live"),
        ("رقعة شطرنج", "Échiquier", "", "", 45000, 1, "draft"),
        ("صينية خشبية", "Plateau en bois", "", "", 30000, 2, "hidden"),
    ],
}
GENERIC: list[Item] = [
    ("هدية صغيرة", "Petit cadeau", "مصنوعة باليد.", "Fait main.", 12000, 5, "live"),
    ("قطعة حسب الطلب", "Pièce sur commande", "", "", 60000, None, "live"),
    ("منتوج جديد", "Nouveau produit", "", "", 20000, None, "draft"),
]


def ensure_products() -> int:
    """Products for every demo seller page that has none; returns how many were made."""
    made = 0
    for seller in SellerProfilePage.objects.select_related("craft").order_by("pk"):
        if Product.objects.filter(seller=seller).exists():
            continue
        code = seller.craft.code if seller.craft is not None else ""
        for number, item in enumerate(ITEMS.get(code, GENERIC)):
            add_demo_product(seller, item, photos=1 + number % 2)
            made += 1
    return made


def add_demo_product(seller: SellerProfilePage, item: Item, photos: int) -> Product:
    title_ar, title_fr, description_ar, description_fr, price, stock, status = item
    product = Product(
        seller=seller,
        title_ar=title_ar,
        title_fr=title_fr,
        description_ar=description_ar,
        description_fr=description_fr,
        price=price,
        availability="made_to_order" if stock is None else "in_stock",
        quantity=stock or 0,
        craft=seller.craft,
    )
    product = save_product(product, for_sale=status != "draft")
    for number in range(photos):
        add_photo(product, phone_photo(f"{title_fr} {number}"))
    if status == "hidden":
        hide(product)
    return product
