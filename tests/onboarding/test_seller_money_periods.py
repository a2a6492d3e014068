"""A seller's weeks start on her Monday and her months on her first day, in Morocco's time, and
each line of her balance lands in exactly one week and one month, whatever the year's turn."""

from __future__ import annotations

from datetime import UTC, date, datetime

from onboarding.marketplace.money import Line, Totals, masked, months_back, weeks_back


def test_twelve_weeks_back_start_on_mondays_across_the_new_year():
    weeks = weeks_back(date(2026, 1, 1))  # a Thursday

    assert weeks[0].start == date(2025, 12, 29)
    assert weeks[0].last_day == date(2026, 1, 4)
    assert weeks[-1].start == date(2025, 10, 13)
    assert all(week.start.weekday() == 0 for week in weeks)
    assert all(newer.start == older.end for newer, older in zip(weeks, weeks[1:], strict=False))


def test_twelve_months_back_take_every_month_once():
    months = months_back(date(2026, 3, 31))

    assert [(month.start.year, month.start.month) for month in months[:4]] == [
        (2026, 3),
        (2026, 2),
        (2026, 1),
        (2025, 12),
    ]
    assert months[1].last_day == date(2026, 2, 28)
    assert months[-1].start == date(2025, 4, 1)
    assert all(newer.start == older.end for newer, older in zip(months, months[1:], strict=False))


def test_a_sale_late_on_sunday_in_utc_is_monday_in_morocco(settings):
    settings.TIME_ZONE = "Africa/Casablanca"  # UTC+1
    line = Line("sale", 1_000, datetime(2026, 11, 29, 23, 30, tzinfo=UTC), "pay_1", "order-1")

    assert line.day == date(2026, 11, 30)
    assert weeks_back(date(2026, 12, 2))[0].start == line.day


def test_the_net_is_what_the_lines_add_up_to():
    totals = Totals()
    moment = datetime(2026, 11, 30, tzinfo=UTC)
    for kind, amount in (("sale", 15_000), ("fee", -325), ("refund", -2_500), ("payout", -100)):
        totals.add(Line(kind, amount, moment, "src", "ref"))

    assert (totals.sales, totals.fees, totals.refunds, totals.payouts) == (15_000, 325, 2_500, 100)
    assert totals.net == 15_000 - 325 - 2_500 - 100


def test_the_account_is_shown_by_its_last_four_characters_only():
    assert masked("acct_83bf5b4d0d4c8c53") == "•••• 8c53"
    assert masked("") == ""
