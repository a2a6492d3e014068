"""Operators list, search, filter, export and read buyers' orders in the Wagtail admin; who
bought is shown only with its own permission, and each showing is recorded."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from maalem.core.models import PrivateFileAccess
from onboarding.marketplace import order_states
from onboarding.marketplace.models import Order, OrderState
from tests.builders import make_learner
from tests.exports import export_in_background

from .order_builders import BUYER_PHONE, place_order
from .product_builders import make_product, selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

ORDERS = "/admin/marketplace/orders/"
S = OrderState


def order_operator(*codenames: str) -> Any:
    """A staff member who may use the admin and holds these order permissions."""
    group = Group.objects.create(name=f"Order operators {'-'.join(codenames) or 'none'}")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="maalem_marketplace", codename__in=codenames
        ),
    )
    user = make_learner(first_name="Nadia", last_name="Operator")
    user.groups.add(group)
    return user


def order_in(state: str, shop_name: str = "Atelier Zellige", **fields: Any) -> Order:
    seller = selling_seller(shop_name)
    order, _token = place_order(seller, make_product(seller, price=12000), **fields)
    paths = {
        S.PENDING_PAYMENT: [],
        S.PAID: [S.PAID],
        S.ACCEPTED: [S.PAID, S.ACCEPTED],
        S.SHIPPED: [S.PAID, S.ACCEPTED, S.SHIPPED],
        S.CANCELLED: [S.PAID, S.CANCELLED],
        S.REFUNDED: [S.PAID, S.CANCELLED, S.REFUNDED],
    }
    for state_now in paths[state]:
        money = {"payment_ref": f"pay_{order.public_id}", "fee": 300, "net": 11700}
        order_states.transition(
            order.pk,
            state_now,
            actor_label="test",
            reason="test",
            **(money if state_now == S.PAID else {}),
        )
    return Order.objects.get(pk=order.pk)


def test_the_menu_shows_orders_only_to_whoever_may_see_them(client):
    # The sidebar's items are in the page's data, with their URL.
    client.force_login(order_operator())
    assert ORDERS not in client.get("/admin/").content.decode()
    assert client.get(ORDERS).status_code == 302

    client.force_login(order_operator("view_order"))
    assert ORDERS in client.get("/admin/").content.decode()
    assert client.get(ORDERS).status_code == 200


def test_the_list_is_newest_first_and_filtered_by_state_shop_and_refunds(client):
    old = order_in(S.PAID, "Poterie Safi")
    Order.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    refunded = order_in(S.REFUNDED, "Tapis Azilal")
    to_refund = order_in(S.CANCELLED, "Cuivre Fès")
    newest = order_in(S.PENDING_PAYMENT, "Atelier Zellige")
    client.force_login(order_operator("view_order"))

    listed = list(client.get(ORDERS).context["object_list"])
    assert listed == [newest, to_refund, refunded, old]

    def pks(**params: str) -> set[int]:
        return {order.pk for order in client.get(ORDERS, params).context["object_list"]}

    assert pks(state="paid") == {old.pk}
    assert pks(shop="tapis") == {refunded.pk}
    assert pks(seller=str(newest.seller_id)) == {newest.pk}
    assert pks(refunds="to_refund") == {to_refund.pk}
    assert pks(refunds="refunded") == {refunded.pk}
    assert pks(refunds="any") == {refunded.pk, to_refund.pk}
    today = timezone.localdate().isoformat()
    assert old.pk not in pks(created_at_from=today)


def test_the_list_is_searched_by_order_number_and_not_by_the_buyer(client):
    wanted = order_in(S.PAID, "Poterie Safi")
    other = order_in(S.PAID, "Tapis Azilal")
    client.force_login(order_operator("view_order"))

    found = client.get(ORDERS, {"q": wanted.public_id}).content.decode()
    by_phone = client.get(ORDERS, {"q": BUYER_PHONE}).content.decode()

    assert wanted.public_id in found and other.public_id not in found
    assert wanted.public_id not in by_phone


def test_the_list_reads_a_bounded_number_of_rows_however_many_orders(
    client, django_assert_max_num_queries
):
    for number in range(6):
        order_in(S.ACCEPTED, f"Shop {number}")
    client.force_login(order_operator("view_order"))
    client.get(ORDERS)  # warm the session and the permission caches

    with django_assert_max_num_queries(10):
        page = client.get(ORDERS, {"state": "accepted"})
    assert len(page.context["object_list"]) == 6


def test_the_order_page_shows_the_money_the_steps_and_the_timeline(client):
    order = order_in(S.CANCELLED, "Poterie Safi")
    client.force_login(order_operator("view_order"))

    page = client.get(f"{ORDERS}inspect/{order.pk}/").content.decode()

    assert order.public_id in page and "Poterie Safi" in page
    assert f"pay_{order.public_id}" in page
    assert 'data-step="refund"' in page
    assert [f'data-state="{state}"' in page for state in (S.PAID, S.CANCELLED)] == [True, True]
    assert "120" in page and "117" in page  # the items' total and the net, in dirhams


def test_who_bought_is_shown_only_with_its_permission_and_each_showing_is_recorded(client):
    order = order_in(S.PAID)
    url = f"{ORDERS}inspect/{order.pk}/"

    client.force_login(order_operator("view_order"))
    without = client.get(url).content.decode()
    assert "Salma" not in without and BUYER_PHONE not in without
    assert not PrivateFileAccess.objects.filter(kind="order_buyer").exists()

    reader = order_operator("view_order", "view_buyer_details")
    client.force_login(reader)
    shown = client.get(url).content.decode()
    client.get(url)

    assert "Salma" in shown and BUYER_PHONE in shown
    accesses = PrivateFileAccess.objects.filter(kind="order_buyer", object_ref=order.public_id)
    assert [(access.user_id, access.granted) for access in accesses] == [(reader.pk, True)] * 2


def test_the_csv_export_has_the_order_columns_and_no_buyer(client):
    order = order_in(S.PAID, "Poterie Safi")
    client.force_login(order_operator("view_order"))

    body = export_in_background(client, ORDERS, {"export": "csv"}).decode()

    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 2 and len(rows[0]) == 12
    assert rows[1][:3] == [order.public_id, "paid", "Poterie Safi"]
    assert "Salma" not in body and BUYER_PHONE not in body


def test_the_order_page_reads_a_bounded_number_of_rows_however_long_its_timeline(
    client, django_assert_max_num_queries
):
    order = order_in(S.REFUNDED)
    client.force_login(order_operator("view_order", "view_buyer_details", "change_order"))
    client.get(f"{ORDERS}inspect/{order.pk}/")  # warm the session and the permission caches

    # 14, and one for its disputes (with who answered them), however many.
    with django_assert_max_num_queries(15):
        page = client.get(f"{ORDERS}inspect/{order.pk}/")
    assert len(page.context["timeline"]) == 4 and len(page.context["steps"]) >= 3
