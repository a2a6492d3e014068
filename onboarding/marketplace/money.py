"""The seller's money: her balance lines from the provider, summed into her weeks and months.

The provider lists the lines (:meth:`~onboarding.providers.payment_sessions.TakesPayments.
balance_transactions`); we sum them here, in the site's time zone (Africa/Casablanca), so a
week starts on her Monday and a month on her first day, whatever the provider's clock. The
answer is kept :data:`CACHE_SECONDS` per seller: a seller who reloads her page does not call the
provider again. Amounts stay whole centimes from end to end.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from ..providers import ProviderNotConfigured, get_backend
from ..providers.balance_transactions import BalanceTransaction
from ..providers.base import ProviderError, ProviderRejected
from .models import SellerProfilePage

logger = logging.getLogger(__name__)

#: How long a seller's lines are kept before the provider is asked again.
CACHE_SECONDS = 60
WEEKS = 12
MONTHS = 12


class MoneyUnavailable(Exception):
    """The provider could not tell her money now: unreachable, or it answered nonsense."""


@dataclass(frozen=True)
class Line:
    """One balance line as the pages use it: ``amount`` is signed centimes."""

    kind: str  # sale, fee, refund, payout, dispute, dispute_reversal
    amount: int
    created: datetime
    source: str
    reference: str

    @property
    def day(self) -> date:
        return timezone.localtime(self.created).date()


@dataclass
class Totals:
    """Sales, fees, refunds and payouts of some lines, each a positive number of centimes, and
    ``disputes``: what disputes took less what won ones gave back (negative when a period
    got back more than it lost)."""

    sales: int = 0
    fees: int = 0
    refunds: int = 0
    payouts: int = 0
    disputes: int = 0

    @property
    def net(self) -> int:
        return self.sales - self.fees - self.refunds - self.payouts - self.disputes

    def add(self, line: Line) -> None:
        if line.kind in ("dispute", "dispute_reversal"):
            self.disputes -= line.amount
            return
        name = {"sale": "sales", "fee": "fees", "refund": "refunds", "payout": "payouts"}[line.kind]
        setattr(self, name, getattr(self, name) + abs(line.amount))


@dataclass
class Period:
    start: date
    end: date  # excluded
    totals: Totals = field(default_factory=Totals)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


@dataclass
class Money:
    weeks: list[Period]  # the newest first
    months: list[Period]

    @property
    def this_week(self) -> Period:
        return self.weeks[0]

    @property
    def this_month(self) -> Period:
        return self.months[0]


def account_ref_of(seller: SellerProfilePage) -> str:
    return str(seller.case.payment_account_ref or "")


def masked(account_ref: str) -> str:
    """Enough of the account's reference for her to recognise it, never the whole of it."""
    return f"•••• {account_ref[-4:]}" if account_ref else ""


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def weeks_back(today: date, count: int = WEEKS) -> list[Period]:
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=back) for back in range(count)]
    return [Period(start, start + timedelta(weeks=1)) for start in starts]


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def months_back(today: date, count: int = MONTHS) -> list[Period]:
    periods: list[Period] = []
    start = today.replace(day=1)
    for _month in range(count):
        periods.append(Period(start, _next_month(start)))
        start = (start - timedelta(days=1)).replace(day=1)
    return periods


def fetch_lines(account_ref: str, start: date, end: date) -> list[Line]:
    """Her lines from ``start`` to ``end`` (excluded, local days); :class:`MoneyUnavailable`."""
    try:
        backend = get_backend("payments")
        found: list[BalanceTransaction] = backend.balance_transactions(
            account_ref, since=local_midnight(start), until=local_midnight(end)
        )
    except (ProviderError, ProviderRejected, ProviderNotConfigured) as failure:
        logger.warning("the balance of a seller could not be read: %s", type(failure).__name__)
        raise MoneyUnavailable from failure
    return [Line(t.type, t.amount_minor, t.created, t.source, t.reference) for t in found]


def _cached_lines(seller: SellerProfilePage, account_ref: str, start: date, end: date) -> Any:
    key = f"maalem:money:{seller.pk}:{account_ref}:{start.isoformat()}:{end.isoformat()}"
    lines = cache.get(key)
    if lines is None:
        lines = fetch_lines(account_ref, start, end)
        cache.set(key, lines, CACHE_SECONDS)
    return lines


def money_of(seller: SellerProfilePage, today: date | None = None) -> Money:
    """Her last :data:`WEEKS` weeks and :data:`MONTHS` months, from one list of lines."""
    today = today or timezone.localdate()
    weeks, months = weeks_back(today), months_back(today)
    start = min(weeks[-1].start, months[-1].start)
    end = today + timedelta(days=1)
    for line in _cached_lines(seller, account_ref_of(seller), start, end):
        for period in (*weeks, *months):
            if period.start <= line.day < period.end:
                period.totals.add(line)
    return Money(weeks, months)


def chart_scale(periods: list[Period]) -> int:
    """The top of the chart's scale: the largest sales of the periods, at least 1 centime."""
    return max([period.totals.sales for period in periods] + [1])
