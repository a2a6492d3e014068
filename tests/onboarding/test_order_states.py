"""The order's state machine: the legal moves, the refused ones, and the effects of each."""

from __future__ import annotations

import pytest

from onboarding.marketplace import order_states
from onboarding.marketplace.models import OrderState, OrderStep, OrderStepKind, Product
from onboarding.marketplace.order_states import InvalidTransition, transition

from .order_builders import place_order
from .product_builders import make_product, selling_seller

pytestmark = pytest.mark.django_db

S = OrderState


@pytest.fixture
def order_in_stock() -> tuple:
    seller = selling_seller()
    product = make_product(seller, availability="in_stock", quantity=3)
    order, _token = place_order(seller, product, quantity=2)
    return order, product


def _go(order_id: int, *states: str) -> None:
    for state in states:
        transition(order_id, state, actor_label="test", reason="test")


def test_the_happy_path_is_recorded_step_by_step(order_in_stock: tuple) -> None:
    order, _product = order_in_stock
    _go(order.pk, S.PAID, S.ACCEPTED, S.SHIPPED, S.DELIVERED)
    order.refresh_from_db()
    assert order.state == S.DELIVERED
    assert order.paid_at is not None
    assert [(e.from_state, e.to_state) for e in order.events.all()] == [
        ("", S.PENDING_PAYMENT),
        (S.PENDING_PAYMENT, S.PAID),
        (S.PAID, S.ACCEPTED),
        (S.ACCEPTED, S.SHIPPED),
        (S.SHIPPED, S.DELIVERED),
    ]
    buyer_texts = OrderStep.objects.filter(order=order, kind=OrderStepKind.SMS_BUYER)
    assert sorted(buyer_texts.values_list("about", flat=True)) == sorted(
        [S.PAID, S.ACCEPTED, S.SHIPPED, S.DELIVERED]
    )
    assert OrderStep.objects.filter(order=order, kind=OrderStepKind.SMS_SELLER).count() == 1


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ((), S.SHIPPED),
        ((), S.REFUNDED),
        ((S.PAID,), S.DELIVERED),
        ((S.PAID, S.ACCEPTED, S.SHIPPED), S.CANCELLED),
        ((S.PAID, S.ACCEPTED, S.SHIPPED, S.DELIVERED), S.REFUNDED),
        ((S.CANCELLED,), S.PAID),
    ],
)
def test_illegal_moves_are_refused_and_change_nothing(
    order_in_stock: tuple, path: tuple, illegal: str
) -> None:
    order, _product = order_in_stock
    _go(order.pk, *path)
    before = order.events.count()
    with pytest.raises(InvalidTransition, match=f"cannot go from .* to {illegal}"):
        transition(order.pk, illegal, actor_label="test", reason="test")
    order.refresh_from_db()
    assert order.state == (path[-1] if path else S.PENDING_PAYMENT)
    assert order.events.count() == before


def test_an_unpaid_cancelled_order_cannot_be_refunded(order_in_stock: tuple) -> None:
    order, _product = order_in_stock
    _go(order.pk, S.CANCELLED)
    with pytest.raises(InvalidTransition, match="never paid"):
        transition(order.pk, S.REFUNDED, actor_label="test", reason="test")


def test_expected_from_refuses_an_order_moved_by_someone_else(order_in_stock: tuple) -> None:
    order, _product = order_in_stock
    _go(order.pk, S.PAID)
    with pytest.raises(InvalidTransition, match="moved by someone else first"):
        transition(
            order.pk,
            S.CANCELLED,
            actor_label="sweeper",
            reason="expired",
            expected_from=S.PENDING_PAYMENT,
        )


def test_cancelling_gives_the_stock_back_once(order_in_stock: tuple) -> None:
    order, product = order_in_stock
    assert Product.objects.get(pk=product.pk).quantity == 1
    _go(order.pk, S.CANCELLED)
    assert Product.objects.get(pk=product.pk).quantity == 3
    order.refresh_from_db()
    assert order_states.order_stock.release(order) is False
    assert Product.objects.get(pk=product.pk).quantity == 3
    # Unpaid: no refund to make, and the buyer who did not pay is not texted.
    assert not OrderStep.objects.filter(order=order).exists()


def test_a_paid_order_cancelled_gets_a_refund_step(order_in_stock: tuple) -> None:
    order, _product = order_in_stock
    transition(order.pk, S.PAID, actor_label="test", reason="paid", payment_ref="pay_1")
    _go(order.pk, S.CANCELLED)
    assert OrderStep.objects.filter(order=order, kind=OrderStepKind.REFUND).count() == 1
    _go(order.pk, S.REFUNDED)
    order.refresh_from_db()
    assert order.state == S.REFUNDED
