"""An operator refunds a paid order from its page: a POST with a reason, behind its own
permission, through the state machine, recorded in the order's timeline with her name."""

from __future__ import annotations

import pytest

from onboarding.marketplace.models import Order, OrderState, OrderStep, OrderStepKind

from .test_admin_orders import ORDERS, order_in, order_operator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

S = OrderState


def refund_url(order: Order) -> str:
    return f"{ORDERS}{order.pk}/refund/"


def test_a_refund_cancels_the_order_through_the_state_machine_with_the_operators_name(client):
    order = order_in(S.ACCEPTED)
    client.force_login(order_operator("view_order", "change_order"))
    assert refund_url(order) in client.get(f"{ORDERS}inspect/{order.pk}/").content.decode()

    response = client.post(refund_url(order), {"reason": "The buyer called: parcel lost."})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == S.CANCELLED
    last = order.events.last()
    assert last is not None
    assert (last.from_state, last.to_state, last.reason) == (
        S.ACCEPTED,
        S.CANCELLED,
        "The buyer called: parcel lost.",
    )
    page = client.get(f"{ORDERS}inspect/{order.pk}/").content.decode()
    assert "Nadia Operator" in page
    assert OrderStep.objects.filter(order=order, kind=OrderStepKind.REFUND).count() == 1


def test_a_refund_needs_a_reason(client):
    order = order_in(S.PAID)
    client.force_login(order_operator("view_order", "change_order"))

    page = client.post(refund_url(order), {"reason": " "})

    assert page.status_code == 200 and "reason" in page.context["form"].errors
    assert Order.objects.get(pk=order.pk).state == S.PAID


def test_without_the_change_permission_there_is_no_refund(client):
    order = order_in(S.PAID)
    client.force_login(order_operator("view_order"))

    assert refund_url(order) not in client.get(f"{ORDERS}inspect/{order.pk}/").content.decode()
    assert client.post(refund_url(order), {"reason": "no"}).status_code == 403
    assert Order.objects.get(pk=order.pk).state == S.PAID


@pytest.mark.parametrize("state", [S.PENDING_PAYMENT, S.SHIPPED, S.REFUNDED])
def test_an_order_not_paid_or_already_shipped_is_not_refunded_here(client, state):
    order = order_in(state)
    client.force_login(order_operator("view_order", "change_order"))

    assert refund_url(order) not in client.get(f"{ORDERS}inspect/{order.pk}/").content.decode()
    response = client.post(refund_url(order), {"reason": "try anyway"}, follow=True)

    assert [message.level_tag for message in response.context["messages"]] == ["error"]
    assert Order.objects.get(pk=order.pk).state == state
    assert not OrderStep.objects.filter(order=order, kind=OrderStepKind.REFUND).exists() or (
        state == S.REFUNDED
    )
