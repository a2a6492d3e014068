"""A seller's products, and their photos.

A product belongs to a seller page, so "only the seller edits her products" is one join (the
page's case names the learner), and whatever removes the page removes its products. It is
shown to buyers only while it is ``live`` and its seller is selling (see
:func:`onboarding.marketplace.product_search.public_products`).

The chain and the region are copied from the craft and the seller page when the product is
saved, so that the marketplace's filters read indexed columns of one table; so are its names and
descriptions in the spelling the search compares (:mod:`.search_words`), which Wagtail search
indexes instead of the columns as written.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from .search_words import search_words

#: Letters of a product's public id: lower case and digits, none that read alike (0/o, 1/l).
PUBLIC_ID_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyz"
PUBLIC_ID_LENGTH = 12  # 60 random bits: not guessable, not sequential


def new_public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


class ProductStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("product", "Draft")
    LIVE = "live", pgettext_lazy("product", "For sale")
    HIDDEN = "hidden", pgettext_lazy("product", "Hidden")
    DELETED = "deleted", pgettext_lazy("product", "Deleted")


class Availability(models.TextChoices):
    MADE_TO_ORDER = "made_to_order", _("Made to order")
    IN_STOCK = "in_stock", _("In stock")


class Product(index.Indexed, models.Model):
    seller = models.ForeignKey(
        "maalem_marketplace.SellerProfilePage",
        on_delete=models.CASCADE,
        related_name="products",
        verbose_name=_("seller"),
    )
    public_id = models.CharField(
        _("public id"), max_length=20, unique=True, default=new_public_id, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    title_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)
    title_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    description_ar = models.TextField(_("description (Arabic)"), max_length=2000, blank=True)
    description_fr = models.TextField(_("description (French)"), max_length=2000, blank=True)
    #: In centimes (MAD minor units), so that no sum ever rounds.
    price = models.PositiveIntegerField(_("price (centimes)"), null=True, blank=True)
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.MADE_TO_ORDER,
    )
    quantity = models.PositiveIntegerField(_("quantity in stock"), default=0)
    craft = models.ForeignKey(
        "maalem_crafts.Craft",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("craft"),
    )
    chain = models.ForeignKey(
        "maalem_crafts.Chain",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("production chain"),
    )
    region = models.CharField(_("region"), max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("first put on sale"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    # The names and the descriptions in the spelling the search compares (no article, no
    # diacritics, one alef: see search_words.py), written on save: what Wagtail search indexes.
    search_title = models.TextField(_("searched name"), blank=True, default="", editable=False)
    search_description = models.TextField(
        _("searched description"), blank=True, default="", editable=False
    )

    search_fields = [
        index.SearchField("search_title", boost=2),
        index.SearchField("search_description"),
        index.FilterField("status"),
        index.FilterField("seller"),
        index.FilterField("craft"),
        index.FilterField("chain"),
        index.FilterField("region"),
        index.FilterField("price"),
        index.FilterField("published_at"),
    ]

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            # The marketplace's filters, each on products for sale, newest first.
            models.Index(fields=["status", "-published_at", "-id"], name="product_live_newest"),
            models.Index(fields=["status", "craft"], name="product_live_craft"),
            models.Index(fields=["status", "chain"], name="product_live_chain"),
            models.Index(fields=["status", "region"], name="product_live_region"),
            models.Index(fields=["status", "price"], name="product_live_price"),
            models.Index(fields=["seller", "status"], name="product_seller_status"),
        ]

    def __str__(self) -> str:
        return self.title or self.public_id

    @property
    def title(self) -> str:
        """The name in the reader's language when it was written in it, else the other one."""
        return self._in_language("title")

    @property
    def description(self) -> str:
        return self._in_language("description")

    def _in_language(self, field: str) -> str:
        first = "ar" if (get_language() or "").startswith("ar") else "fr"
        second = "fr" if first == "ar" else "ar"
        return str(getattr(self, f"{field}_{first}") or getattr(self, f"{field}_{second}"))

    @property
    def title_language(self) -> str:
        first = "ar" if (get_language() or "").startswith("ar") else "fr"
        return first if getattr(self, f"title_{first}") else ("fr" if first == "ar" else "ar")

    @property
    def in_stock(self) -> bool:
        return self.availability == Availability.IN_STOCK

    def copy_filters(self) -> None:
        """The chain of the craft and the region of the seller, for the marketplace's filters."""
        self.chain_id = self.craft.chain_id if self.craft is not None else None
        self.region = self.seller.region if self.seller_id else ""

    def copy_search_words(self) -> None:
        """The names and the descriptions, both languages, as the search compares them."""
        self.search_title = search_words(f"{self.title_ar}\n{self.title_fr}".strip())
        self.search_description = search_words(
            f"{self.description_ar}\n{self.description_fr}".strip()
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.copy_filters()
        self.copy_search_words()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                *("chain", "region", "search_title", "search_description"),
            }
        super().save(*args, **kwargs)


class ProductPhoto(models.Model):
    """One photo of a product: the cleaned upload, kept private, and its public copy (a Wagtail
    image) made only while the product is for sale."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="photos", verbose_name=_("product")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    private_name = models.CharField(_("stored photo"), max_length=200, editable=False)
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("published copy"),
    )

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.product_id}/{self.position}"
