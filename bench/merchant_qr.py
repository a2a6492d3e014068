"""The seller's QR code and poster: what they cost beside what the site already does.

Run: .venv/bin/python bench/merchant_qr.py [--rounds 20]

Prints, from one run, side by side:
- building and checking one EMV payload (``onboarding.emvco.build``, which parses its result
  back) and parsing one, in microseconds;
- drawing the code as the inline SVG of the seller page, in milliseconds, and its bytes, and
  the same code again from the process's cache;
- rendering the A6 poster against rendering a certificate PDF (both WeasyPrint, warm), in
  milliseconds, and their ratio.

Medians of ``--rounds``, not pass or fail; on a shared, loaded machine read the ratios rather
than the times. Nothing is written to any database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MAALEM_VAR_DIR"] = tempfile.mkdtemp(prefix="maalem-bench-qr-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from weasyprint import HTML  # noqa: E402

from lms.certificates.models import CertificateTemplate  # noqa: E402
from lms.certificates.rendering import sample_pdf  # noqa: E402
from onboarding import emvco  # noqa: E402
from onboarding.models import ApplicantProfile, OnboardingCase  # noqa: E402
from onboarding.poster import poster_html  # noqa: E402
from onboarding.qr import inline_svg, merchant_qr  # noqa: E402


def median_seconds(work: Callable[[], object], rounds: int) -> float:
    work()  # warm: fonts, caches
    times = []
    for _round in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds

    case = OnboardingCase(
        pk=1,
        payment_account_status="active",
        merchant_qr={"gui": "ma.maalem.sandbox", "merchant_id": "000123456789012"},
    )
    applicant = ApplicantProfile(shop_name="Tapis Latifa · زرابي لطيفة", region="Fès-Meknès")
    code = merchant_qr(case, applicant)
    assert code is not None
    snapshot = CertificateTemplate.default_snapshot()

    build = median_seconds(lambda: emvco.build(code.qr), rounds * 50)
    parse = median_seconds(lambda: emvco.parse(code.payload), rounds * 50)
    svg = median_seconds(lambda: inline_svg.__wrapped__(code.payload, "QR"), rounds)
    kept = median_seconds(code.svg, rounds)
    poster = median_seconds(
        lambda: HTML(string=poster_html(case, applicant, code)).write_pdf(), rounds
    )
    certificate = median_seconds(lambda: sample_pdf(snapshot), rounds)

    print(f"payload: {len(code.payload)} characters, {len(code.payload.encode())} bytes")
    print(f"build and check one payload: {build * 1e6:8.0f} µs")
    print(f"parse one payload:           {parse * 1e6:8.0f} µs")
    print(f"inline SVG of the code:      {svg * 1e3:8.1f} ms, {len(code.svg())} bytes")
    print(f"the same, kept by the process: {kept * 1e6:6.0f} µs")
    print(f"A6 poster PDF:               {poster * 1e3:8.0f} ms")
    print(f"certificate PDF (A4):        {certificate * 1e3:8.0f} ms")
    print(f"poster / certificate:        {poster / certificate:8.2f}")


if __name__ == "__main__":
    main()
