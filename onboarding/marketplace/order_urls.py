"""The buyer's pages. Include them inside ``i18n_patterns``, e.g.
``path("orders/", include("onboarding.marketplace.order_urls"))``: they speak her language."""

from django.urls import path

from . import basket_views as basket
from . import order_views as views

app_name = "marketplace_orders"

urlpatterns = [
    path("new/<slug:public_id>/", views.checkout, name="checkout"),
    path("basket/", basket.basket_page, name="basket"),
    path("basket/add/<slug:public_id>/", basket.add, name="basket_add"),
    path("basket/line/<slug:public_id>/", basket.line, name="basket_line"),
    path("<str:token>/", views.order_page, name="order"),
    path("<str:token>/cancel/", views.cancel_unpaid, name="cancel"),
]
