"""The seller's statement for a lender: which period (checked), its lines and totals, as CSV.

She picks a month or two days; the period is at most :data:`MAX_DAYS` days and not in the
future. The lines come from the provider at the moment she asks (not from the dashboard's
cache), and the file is made in memory and sent: nothing is written to disk or under MEDIA.
The PDF is :mod:`.money_pdf`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .models import SellerProfilePage
from .money import Line, Totals, account_ref_of, fetch_lines, masked, months_back

MAX_DAYS = 366
DAY = "%Y-%m-%d"
DAY_INPUT = forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format=DAY)

KIND_NAMES = {
    "sale": _("Sale"),
    "fee": _("Fee"),
    "refund": _("Refund"),
    "payout": _("Payout"),
    "dispute": _("Disputed by the buyer's bank"),
    "dispute_reversal": _("Dispute won: money back"),
}


class StatementForm(forms.Form):
    """A month (``2026-11``) or a first and a last day; with none, this month."""

    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11", "dir": "ltr"}),
    )
    start = forms.DateField(
        label=pgettext_lazy("money", "From"), required=False, input_formats=[DAY], widget=DAY_INPUT
    )
    end = forms.DateField(
        label=_("To (included)"), required=False, input_formats=[DAY], widget=DAY_INPUT
    )

    def clean_month(self) -> date | None:
        text = self.cleaned_data.get("month", "").strip()
        if not text:
            return None
        try:
            return datetime.strptime(text, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(
                _("Write the month as year-month, for example 2026-11."), code="month"
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        month, start, end = data.get("month"), data.get("start"), data.get("end")
        if self.errors:
            return data
        if month is None and start is None and end is None:
            month = today.replace(day=1)
        if month is not None:
            if start or end:
                raise forms.ValidationError(_("Choose a month or two days, not both."), code="both")
            start, end = month, months_back(month, 1)[0].last_day
        elif start is None or end is None:
            raise forms.ValidationError(
                _("Give both the first and the last day of the period."), code="half"
            )
        if end < start:
            raise forms.ValidationError(_("The last day is before the first day."), code="order")
        if (end - start).days + 1 > MAX_DAYS:
            raise forms.ValidationError(
                _("A statement covers at most 366 days. Choose a shorter period."), code="long"
            )
        if start > today:
            raise forms.ValidationError(_("This period has not started yet."), code="future")
        data["period"] = (start, min(end, today))
        return data


@dataclass
class Statement:
    shop_name: str
    account: str  # masked
    start: date
    end: date  # included
    lines: list[Line]
    totals: Totals
    generated: datetime

    @property
    def filename(self) -> str:
        return f"statement-{self.start.isoformat()}-{self.end.isoformat()}"


def statement_of(seller: SellerProfilePage, start: date, end: date) -> Statement:
    """Her lines from ``start`` to ``end`` (both included); :class:`MoneyUnavailable`."""
    account_ref = account_ref_of(seller)
    lines = fetch_lines(account_ref, start, end + timedelta(days=1))
    totals = Totals()
    for line in lines:
        totals.add(line)
    return Statement(
        shop_name=seller.title,
        account=masked(account_ref),
        start=start,
        end=end,
        lines=lines,
        totals=totals,
        generated=timezone.localtime(),
    )


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ would start a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _dirhams(centimes: int) -> str:
    """Machine-readable dirhams for the CSV: a dot and two decimals, e.g. -12.50."""
    sign = "-" if centimes < 0 else ""
    whole, cents = divmod(abs(centimes), 100)
    return f"{sign}{whole}.{cents:02d}"


def statement_csv(statement: Statement) -> bytes:
    """The statement as CSV in UTF-8 with a BOM (so spreadsheets read the Arabic right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([pgettext("money", "Statement"), _cell(statement.shop_name)])
    writer.writerow([gettext("Payment account"), statement.account])
    writer.writerow([gettext("Period"), statement.start.isoformat(), statement.end.isoformat()])
    writer.writerow([gettext("Generated on"), statement.generated.isoformat(timespec="minutes")])
    writer.writerow([])
    writer.writerow(
        [gettext("Date"), gettext("Type"), gettext("Order"), gettext("Amount (MAD)"), "ID"]
    )
    for line in statement.lines:
        writer.writerow(
            [
                timezone.localtime(line.created).isoformat(timespec="seconds"),
                str(KIND_NAMES[line.kind]),
                _cell(line.reference),
                _dirhams(line.amount),
                _cell(line.source),
            ]
        )
    writer.writerow([])
    totals = statement.totals
    for label, amount in totals_rows(totals):
        writer.writerow([label, "", "", _dirhams(amount)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def totals_rows(totals: Totals) -> list[tuple[str, int]]:
    return [
        (gettext("Sales"), totals.sales),
        (gettext("Fees"), -totals.fees),
        (gettext("Refunds"), -totals.refunds),
        (gettext("Payouts"), -totals.payouts),
        (gettext("Disputes"), -totals.disputes),
        (gettext("Net"), totals.net),
    ]
