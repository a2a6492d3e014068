"""The seller's money page and her statement (CSV, PDF), on her phone, without JavaScript.

Only a seller reaches her own: the URLs name no one, and each answers with the money of the
account of the learner who asks. A learner who does not sell is told why there is nothing to
see; her statement answers 404. The statements are private (``Cache-Control: private,
no-store``) and made in memory. A provider that cannot answer gives a friendly page, never a 500.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lms.courses.views import learner_required

from . import products
from .models import SellerProfilePage
from .money import MoneyUnavailable, account_ref_of, chart_scale, masked, money_of
from .money_pdf import statement_pdf
from .money_statement import Statement, StatementForm, statement_csv, statement_of


def _money_page(
    request: HttpRequest, seller: SellerProfilePage, form: StatementForm, status: int = 200
) -> HttpResponse:
    context = {"seller": seller, "form": form, "account": masked(account_ref_of(seller))}
    try:
        money = money_of(seller)
    except MoneyUnavailable:
        return render(request, "marketplace/seller/money_unreachable.html", context)
    context["now"] = [(_("This week"), money.this_week), (_("This month"), money.this_month)]
    context["tables"] = [
        {
            "key": "weeks",
            "title": _("Per week"),
            "chart_title": _("Sales of the last 12 weeks, this week first"),
            "period_name": _("Week of"),
            "periods": money.weeks,
            "scale": chart_scale(money.weeks),
        },
        {
            "key": "months",
            "title": _("Per month"),
            "chart_title": _("Sales of the last 12 months, this month first"),
            "period_name": _("Month"),
            "periods": money.months,
            "scale": chart_scale(money.months),
        },
    ]
    return render(request, "marketplace/seller/money.html", context, status=status)


@learner_required
@require_GET
@never_cache
def money(request: HttpRequest) -> HttpResponse:
    """Her totals this week and this month, and per week and per month, with a chart."""
    seller = products.seller_page_of(request.user)
    if seller is None or not account_ref_of(seller):
        return render(request, "marketplace/seller/money_not_selling.html")
    return _money_page(request, seller, StatementForm())


def _statement(request: HttpRequest) -> Statement | HttpResponse:
    seller = products.seller_page_of(request.user)
    if seller is None or not account_ref_of(seller):
        raise Http404
    form = StatementForm(request.GET)
    if not form.is_valid():
        return _money_page(request, seller, form, status=400)
    start, end = form.cleaned_data["period"]
    try:
        return statement_of(seller, start, end)
    except MoneyUnavailable:
        context = {"seller": seller, "form": form}
        return render(request, "marketplace/seller/money_unreachable.html", context, status=503)


def _private(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    return response


@learner_required
@require_GET
@never_cache
def statement_as_csv(request: HttpRequest) -> HttpResponse:
    statement = _statement(request)
    if isinstance(statement, HttpResponse):
        return statement
    response = HttpResponse(statement_csv(statement), content_type="text/csv; charset=utf-8")
    return _private(response, f"{statement.filename}.csv")


@learner_required
@require_GET
@never_cache
def statement_as_pdf(request: HttpRequest) -> HttpResponse:
    statement = _statement(request)
    if isinstance(statement, HttpResponse):
        return statement
    response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
    return _private(response, f"{statement.filename}.pdf")
