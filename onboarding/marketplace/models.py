"""The local marketplace: a directory page and one seller profile page per onboarding case.

Profiles are made by :mod:`onboarding.marketplace.backend` when a case reaches the seller
profile step, never by hand: their facts come from the learner's application, and the unique
link to the case is what stops a second profile for one seller.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from ..models import CaseState
from ..providers.base import AccountStatus
from ..qr import case_qr

#: The address of the products' search under a marketplace; no seller page may take it.
SEARCH_SLUG = "search"

# The case states in which a seller with an active payment account is shown to buyers: while its
# profile is being published, and once it is.
SELLING_STATES = frozenset({CaseState.PROVISIONING, CaseState.ACTIVE})


def selling() -> Q:
    """The seller profiles whose case can take payments now (filter on SellerProfilePage).

    The pages of the others are taken offline as their case changes (see ``receivers``); this
    also keeps them out if that ever failed."""
    return Q(case__payment_account_status=AccountStatus.ACTIVE, case__state__in=SELLING_STATES)


class MarketplaceIndexPage(Page):
    """The directory of live sellers, filtered by chain, craft and region."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"], verbose_name=_("intro"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["maalem_marketplace.SellerProfilePage"]
    template = "marketplace/marketplace_index_page.html"
    max_count_per_parent = 1

    # How many sellers one page of the directory lists: enough to scroll, light on slow data.
    sellers_per_page = 12

    class Meta:
        verbose_name = _("marketplace")
        verbose_name_plural = _("marketplaces")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .directory import directory_for

        context = super().get_context(request, *args, **kwargs)
        if kwargs.get("search"):
            from .product_search import search_for

            context.update(search_for(self, request.GET))
        else:
            context.update(directory_for(self, request.GET))
        return context

    def get_template(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        if kwargs.get("search"):
            return "marketplace/product_search.html"
        return str(super().get_template(request, *args, **kwargs))

    def search_url(self) -> str:
        return f"{self.url}{SEARCH_SLUG}/"

    def seller_tree(self) -> MarketplaceIndexPage:
        """The marketplace that holds the seller pages: the one in the default locale.

        There is one profile per seller, so the marketplaces of the other languages list and
        serve that one tree, each in its own language.
        """
        try:
            default = Locale.get_default()
        except Locale.DoesNotExist:
            return self
        if self.locale_id == default.pk:
            return self
        source = MarketplaceIndexPage.objects.filter(
            translation_key=self.translation_key, locale=default
        ).first()
        return source or self

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        if path_components == [SEARCH_SLUG] and self.live:
            # The products' search, in this marketplace's own language.
            return RouteResult(self, kwargs={"search": True})
        tree = self.seller_tree()
        if path_components and tree.pk != self.pk:
            return tree.route(request, path_components)
        return super().route(request, path_components)


class SellerProfilePage(Page):
    """A seller's public page. The title is the shop's name, the only name it shows.

    The story is two fields on this one page rather than Wagtail translations of it: a
    translation is a second page, and there must only ever be one profile per case.
    """

    case = models.OneToOneField(
        "maalem_onboarding.OnboardingCase",
        # A case with a public profile is withdrawn, not deleted; the profile is removed first.
        on_delete=models.PROTECT,
        related_name="seller_page",
        editable=False,
        verbose_name=_("onboarding case"),
    )
    craft = models.ForeignKey(
        "maalem_crafts.Craft",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("craft"),
    )
    region = models.CharField(_("region"), max_length=100, blank=True, db_index=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("photo"),
    )
    story_ar = models.TextField(_("story (Arabic)"), blank=True)
    story_fr = models.TextField(_("story (French)"), blank=True)
    payment_provider = models.CharField(
        _("payment provider"),
        max_length=100,
        blank=True,
        help_text=_(
            "The name buyers see in “pay through …”. Leave empty for “our payment partner”."
        ),
    )
    payment_reference = models.CharField(
        _("public payment reference"),
        max_length=100,
        blank=True,
        help_text=_(
            "A reference a buyer may quote when paying, if the payment provider gives one. "
            "Never a phone number or a bank account number."
        ),
    )

    content_panels = [
        FieldPanel("title", heading=_("Shop name")),
        FieldPanel("craft"),
        FieldPanel("region"),
        FieldPanel("photo"),
        MultiFieldPanel([FieldPanel("story_ar"), FieldPanel("story_fr")], heading=_("Story")),
        MultiFieldPanel(
            [FieldPanel("payment_provider"), FieldPanel("payment_reference")],
            heading=_("How to pay"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("story_ar"),
        index.SearchField("story_fr"),
        index.FilterField("region"),
    ]
    parent_page_types = ["maalem_marketplace.MarketplaceIndexPage"]

    def url_in_language(self, language: str, request: HttpRequest | None = None) -> str | None:
        """This profile under the marketplace in ``language``: every language's marketplace
        serves the one profile (see :meth:`MarketplaceIndexPage.route`), so the language
        links lead to it rather than to that language's home."""
        marketplace = (
            MarketplaceIndexPage.objects.live()
            .filter(
                translation_key=self.get_parent().translation_key, locale__language_code=language
            )
            .first()
        )
        url = marketplace.get_url(request) if marketplace is not None else None
        return f"{url}{self.slug}/" if url else None

    subpage_types: list[str] = []
    template = "marketplace/seller_profile_page.html"
    # Made by the onboarding workflow from the learner's application, never in the admin.
    is_creatable = False

    class Meta:
        verbose_name = _("seller profile")
        verbose_name_plural = _("seller profiles")

    @property
    def region_name(self) -> str:
        """The region in the reader's language (stored under its untranslated name, as the
        application form stores it)."""
        return gettext(self.region) if self.region else ""

    def stories(self) -> list[dict[str, str]]:
        """The story in each language it was written in, the reader's language first."""
        stories = [
            {"language": "ar", "direction": "rtl", "text": self.story_ar},
            {"language": "fr", "direction": "ltr", "text": self.story_fr},
        ]
        reading = (get_language() or "")[:2]
        stories.sort(key=lambda story: story["language"] != reading)
        return [story for story in stories if story["text"].strip()]

    def verified_certificates(self) -> QuerySet[Any]:
        """The seller's certificates that still stand (revoked ones drop off at once).

        Read at each view rather than copied onto the page, so a revocation needs no republish.
        """
        from lms.certificates.models import Certificate

        return Certificate.objects.filter(
            learner__onboarding_cases=self.case_id, revoked_at__isnull=True
        ).order_by("-issued_at")

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        # A product's page: ``<seller>/<public id>/``. A seller page has no child pages.
        if len(path_components) == 1 and self.live:
            return RouteResult(self, kwargs={"product_id": path_components[0]})
        return super().route(request, path_components)

    def get_template(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        if kwargs.get("product_id"):
            return "marketplace/product_page.html"
        return str(super().get_template(request, *args, **kwargs))

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A seller who cannot take payments is not for sale, whatever the page's live flag says;
        # an editor's preview still shows the page.
        is_preview = getattr(request, "is_preview", False)
        if not is_preview and not SellerProfilePage.objects.filter(selling(), pk=self.pk).exists():
            raise Http404
        response: HttpResponse = super().serve(request, *args, **kwargs)
        return response

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .product_search import product_page_context, seller_products

        context = super().get_context(request, *args, **kwargs)
        if kwargs.get("product_id"):
            context.update(product_page_context(self, request, kwargs["product_id"]))
            return context
        context["certificates"] = list(self.verified_certificates())
        context["merchant_qr"] = case_qr(self.case)
        context["products"] = seller_products(self, request.path)
        return context


from .dispute_models import Dispute, DisputeReason, DisputeStatus  # noqa: E402
from .order_models import (  # noqa: E402
    Order,
    OrderEvent,
    OrderItem,
    OrderState,
    OrderStep,
    OrderStepKind,
    OrderStepStatus,
)
from .product_models import Availability, Product, ProductPhoto, ProductStatus  # noqa: E402

__all__ = [
    "Availability",
    "Dispute",
    "DisputeReason",
    "DisputeStatus",
    "MarketplaceIndexPage",
    "Order",
    "OrderEvent",
    "OrderItem",
    "OrderState",
    "OrderStep",
    "OrderStepKind",
    "OrderStepStatus",
    "Product",
    "ProductPhoto",
    "ProductStatus",
    "SellerProfilePage",
]
