"""The seller's pages. Include them inside ``i18n_patterns``, e.g.
``path("sell/", include("onboarding.marketplace.seller_urls"))``: they speak her language."""

from django.urls import path

from . import money_views
from . import order_seller_views as orders
from . import seller_views as views

app_name = "marketplace_seller"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("products/new/", views.new_product, name="new"),
    path("products/<slug:public_id>/", views.edit_product, name="edit"),
    path("products/<slug:public_id>/hide/", views.hide_product, name="hide"),
    path("products/<slug:public_id>/show/", views.show_product, name="show"),
    path("products/<slug:public_id>/delete/", views.delete_product, name="delete"),
    path("products/<slug:public_id>/undelete/", views.undelete_product, name="undelete"),
    path("products/<slug:public_id>/photos/", views.add_photo, name="add_photo"),
    path("products/<slug:public_id>/photos/<int:photo_id>/", views.photo, name="photo"),
    path(
        "products/<slug:public_id>/photos/<int:photo_id>/remove/",
        views.remove_photo,
        name="remove_photo",
    ),
    path(
        "products/<slug:public_id>/photos/<int:photo_id>/move/",
        views.move_photo,
        name="move_photo",
    ),
    # The seller's money (onboarding/marketplace/money*.py).
    path("money/", money_views.money, name="money"),
    path("money/statement.csv", money_views.statement_as_csv, name="statement_csv"),
    path("money/statement.pdf", money_views.statement_as_pdf, name="statement_pdf"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<slug:public_id>/", orders.order_detail, name="order"),
    path("orders/<slug:public_id>/cancel/", orders.cancel_order, name="order_cancel"),
    *[
        path(
            f"orders/<slug:public_id>/{action}/",
            orders.order_action,
            {"action": action},
            name=f"order_{action}",
        )
        for action in ("accept", "ship", "deliver")
    ],
]
