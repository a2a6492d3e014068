"""The seller's own pages, on her phone: her products, the product form, her photos.

Plain HTML forms, no JavaScript needed. Only a learner whose seller page is live reaches them;
another learner's product answers as one that does not exist. Views check who asks and call
:mod:`onboarding.marketplace.products`; product ids in URLs are random, never a name.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lms.courses.views import learner_required
from maalem.core.private_files import record_access, serve_private_file

from ..upload_limit import limit_photo_upload, refused_upload
from . import product_photos, products
from .models import SellerProfilePage
from .order_models import Order, OrderState
from .product_forms import PhotoForm, ProductForm
from .product_models import Product, ProductPhoto, ProductStatus

#: Where the products deleted in this session are remembered, for their undo button.
DELETED_KEY = "marketplace_deleted_products"


def _seller(request: HttpRequest) -> SellerProfilePage:
    seller = products.seller_page_of(request.user)
    if seller is None:
        raise Http404
    return seller


def _own_product(request: HttpRequest, public_id: str, *, deleted: bool = False) -> Product:
    seller = _seller(request)
    queryset = Product.objects.filter(seller=seller).select_related("seller", "craft")
    if not deleted:
        queryset = queryset.exclude(status=ProductStatus.DELETED)
    return get_object_or_404(queryset, public_id=public_id)


@learner_required
@never_cache
def dashboard(request: HttpRequest) -> HttpResponse:
    """Her products with their status; a learner who does not sell yet is told how to."""
    seller = products.seller_page_of(request.user)
    if seller is None:
        return render(request, "marketplace/seller/not_selling.html")
    deleted = Product.objects.filter(
        seller=seller,
        status=ProductStatus.DELETED,
        public_id__in=request.session.get(DELETED_KEY, []),
    )
    context = {
        "seller": seller,
        "products": products.products_of(seller),
        "deleted": deleted,
        "waiting_orders": Order.objects.filter(seller=seller, state=OrderState.PAID).count(),
    }
    return render(request, "marketplace/seller/dashboard.html", context)


@limit_photo_upload
@learner_required
@never_cache
def new_product(request: HttpRequest) -> HttpResponse:
    seller = _seller(request)
    product = Product(seller=seller, craft_id=seller.craft_id)
    return _product_form(request, product)


@limit_photo_upload
@learner_required
@never_cache
def edit_product(request: HttpRequest, public_id: str) -> HttpResponse:
    return _product_form(request, _own_product(request, public_id))


def _product_form(request: HttpRequest, product: Product) -> HttpResponse:
    new = product.pk is None
    if request.method != "POST":
        return _render_form(request, product, ProductForm(instance=product))
    refused = refused_upload(request)
    if refused is not None:
        form = ProductForm(instance=product)
        form.errors["photo"] = form.error_class(refused.messages)
        return _render_form(request, product, form, status=413)
    for_sale = request.POST.get("action") == "sell"
    form = ProductForm(request.POST, request.FILES, instance=product, for_sale=for_sale)
    valid = form.is_valid()
    product = form.instance
    photo = form.cleaned_data.get("photo") if "photo" not in form.errors else None
    if new and not photo and not _typed_anything(product):
        form.add_error(None, _("Write at least the name of the product, or add a photo."))
        return _render_form(request, product, form)
    missing = products.missing_for_sale(product) if for_sale else {}
    products.save_product(product, for_sale=valid and for_sale and not missing)
    if photo is not None:
        if product.photos.count() >= product_photos.MAX_PHOTOS:
            form.add_error("photo", too_many_photos())
        else:
            product_photos.add_photo(product, photo)
    form.check_for_sale(missing)
    if form.errors:
        return _render_form(request, product, form)
    if product.status == ProductStatus.LIVE:
        messages.success(request, _("Your product is for sale."))
    else:
        messages.success(request, _("Your draft is saved. You can finish it later."))
    return redirect("marketplace_seller:edit", product.public_id)


def _typed_anything(product: Product) -> bool:
    texts = (product.title_ar, product.title_fr, product.description_ar, product.description_fr)
    return any(text.strip() for text in texts) or product.price is not None


def too_many_photos() -> str:
    return _("A product can have 5 photos at most. Remove a photo to add another one.")


def _public_url(product: Product) -> str:
    if product.status != ProductStatus.LIVE:
        return ""
    seller_url = product.seller.url_in_language(get_language() or "")
    return f"{seller_url}{product.public_id}/" if seller_url else ""


def _render_form(
    request: HttpRequest, product: Product, form: ProductForm, status: int = 200
) -> HttpResponse:
    context = {
        "product": product,
        "form": form,
        "photos": list(product.photos.all()) if product.pk else [],
        "photo_form": PhotoForm(),
        "max_photos": product_photos.MAX_PHOTOS,
        "product_url": _public_url(product),
        "fields_with_errors": [
            (form[name], errors) for name, errors in form.errors.items() if name in form.fields
        ],
    }
    return render(request, "marketplace/seller/product_form.html", context, status=status)


@limit_photo_upload
@learner_required
@require_POST
def add_photo(request: HttpRequest, public_id: str) -> HttpResponse:
    product = _own_product(request, public_id)
    refused = refused_upload(request)
    form = PhotoForm(request.POST, request.FILES) if refused is None else PhotoForm()
    if refused is not None:
        form.errors["photo"] = form.error_class(refused.messages)
    elif product.photos.count() >= product_photos.MAX_PHOTOS:
        form.add_error("photo", too_many_photos())
    elif form.is_valid():
        product_photos.add_photo(product, form.cleaned_data["photo"])
        messages.success(request, _("The photo is added."))
        return redirect("marketplace_seller:edit", product.public_id)
    for error in form.errors.get("photo", []):
        messages.error(request, str(error))
    return redirect("marketplace_seller:edit", product.public_id)


def _own_photo(request: HttpRequest, public_id: str, photo_id: int) -> ProductPhoto:
    product = _own_product(request, public_id)
    return get_object_or_404(ProductPhoto, product=product, pk=photo_id)


@learner_required
@require_POST
def remove_photo(request: HttpRequest, public_id: str, photo_id: int) -> HttpResponse:
    product_photos.remove_photo(_own_photo(request, public_id, photo_id))
    messages.success(request, _("The photo is removed."))
    return redirect("marketplace_seller:edit", public_id)


@learner_required
@require_POST
def move_photo(request: HttpRequest, public_id: str, photo_id: int) -> HttpResponse:
    step = -1 if request.POST.get("direction") == "earlier" else 1
    product_photos.move_photo(_own_photo(request, public_id, photo_id), step)
    return redirect("marketplace_seller:edit", public_id)


@learner_required  # type: ignore[arg-type]
@require_GET
def photo(request: HttpRequest, public_id: str, photo_id: int) -> HttpResponseBase:
    """Her own photo as kept (private): the product may not be for sale yet."""
    try:
        item = _own_photo(request, public_id, photo_id)
    except Http404:
        kind = product_photos.PHOTO_KIND
        record_access(request, None, granted=False, kind=kind, object_ref=str(photo_id))
        raise
    return serve_private_file(request, product_photos.served_photo(item))


@learner_required
@require_POST
def hide_product(request: HttpRequest, public_id: str) -> HttpResponse:
    products.hide(_own_product(request, public_id))
    messages.success(request, _("The product is hidden. Buyers do not see it."))
    return redirect("marketplace_seller:dashboard")


@learner_required
@require_POST
def show_product(request: HttpRequest, public_id: str) -> HttpResponse:
    product = _own_product(request, public_id)
    if not products.show(product):
        messages.error(request, _("This product is not finished. Complete it to sell it."))
        return redirect("marketplace_seller:edit", public_id)
    messages.success(request, _("Your product is for sale."))
    return redirect("marketplace_seller:dashboard")


@learner_required
@never_cache
def delete_product(request: HttpRequest, public_id: str) -> HttpResponse:
    """A GET asks to confirm; the POST deletes, with an undo for the rest of the session."""
    product = _own_product(request, public_id)
    if request.method != "POST":
        return render(request, "marketplace/seller/delete.html", {"product": product})
    products.delete(product)
    request.session[DELETED_KEY] = [*request.session.get(DELETED_KEY, [])[-9:], public_id]
    return redirect("marketplace_seller:dashboard")


@learner_required
@require_POST
def undelete_product(request: HttpRequest, public_id: str) -> HttpResponse:
    product = _own_product(request, public_id, deleted=True)
    if product.status == ProductStatus.DELETED:
        products.undelete(product)
        messages.success(request, _("The product is back, hidden. Show it to sell it again."))
    request.session[DELETED_KEY] = [
        item for item in request.session.get(DELETED_KEY, []) if item != public_id
    ]
    return redirect("marketplace_seller:dashboard")
