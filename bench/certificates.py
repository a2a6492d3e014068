"""How fast certificates render, against WeasyPrint alone.

Run: .venv/bin/python bench/certificates.py [--certificates 12] [--rounds 5]

Prints, from one run:
- our render path (template, QR code, cached fonts and stylesheet, PDF/A-3b, tagged) divided by a
  bare ``weasyprint.HTML(string=same_html).write_pdf()`` of the same page with its styles inline,
  both warm, per certificate: the median of interleaved rounds. Target: at most 1.0.
- certificates per second through the render function with one worker process and with two, and
  the ratio between the two.

It uses a throwaway database in a temporary MAALEM_VAR_DIR, so it touches nothing of yours.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MAALEM_VAR_DIR"] = tempfile.mkdtemp(prefix="maalem-bench-certificates-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import translation  # noqa: E402
from weasyprint import HTML  # noqa: E402

from lms.certificates import rendering  # noqa: E402
from lms.certificates.models import Certificate  # noqa: E402

NAMES = [("فاطمة الزهراء", "بنعلي"), ("Youssef", "Amrani"), ("خديجة", "الإدريسي"), ("Omar", "Tazi")]


def make_certificates(count: int) -> list[str]:
    import uuid

    from lms.certificates.codes import new_code
    from lms.certificates.models import CertificateTemplate
    from lms.courses.models import CourseCompletion, Enrolment

    ids = []
    course_key = uuid.uuid4()
    for n in range(count):
        first, last = NAMES[n % len(NAMES)]
        learner = get_user_model().objects.create_user(
            f"bench{n}", first_name=first, last_name=last
        )
        enrolment = Enrolment.objects.create(learner=learner, course_key=course_key)
        completion = CourseCompletion.objects.create(
            learner=learner, course_key=course_key, enrolment=enrolment
        )
        certificate = Certificate.objects.create(
            completion=completion,
            learner=learner,
            course_key=course_key,
            course_titles={
                "ar": "البيع عبر الإنترنت بالهاتف",
                "fr": f"Vendre en ligne, niveau {n}",
            },
            learner_name=f"{first} {last}",
            code=new_code(),
            template_snapshot=CertificateTemplate.default_snapshot(),
            status_index=n,
        )
        ids.append(str(certificate.pk))
    return ids


def render_one(certificate_id: str) -> int:
    with translation.override("fr"):
        return len(rendering.render_pdf(Certificate.objects.get(pk=certificate_id)))


def warm_worker() -> None:
    connections.close_all()  # each process opens its own connection after the fork
    logging.getLogger("weasyprint").setLevel(logging.ERROR)


def throughput(ids: list[str], processes: int, per_process: int) -> float:
    work = [ids[i % len(ids)] for i in range(per_process * processes)]
    context = multiprocessing.get_context("fork")
    connections.close_all()
    with context.Pool(processes, initializer=warm_worker) as pool:
        pool.map(render_one, ids[:processes], chunksize=1)  # warm fonts in every process
        started = time.perf_counter()
        pool.map(render_one, work, chunksize=1)
        elapsed = time.perf_counter() - started
    return len(work) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--certificates", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
    call_command("migrate", verbosity=0)
    ids = make_certificates(args.certificates)
    translation.activate("fr")

    certificates = [Certificate.objects.get(pk=pk) for pk in ids]
    same_html = {c.pk: rendering.certificate_html(c, inline_styles=True) for c in certificates}
    rendering.render_pdf(certificates[0])  # warm: fonts and stylesheet parsed once
    HTML(string=same_html[certificates[0].pk]).write_pdf()

    ratios = []
    ours_times, bare_times = [], []
    for _round in range(args.rounds):
        ours = bare = 0.0
        for certificate in certificates:
            started = time.perf_counter()
            rendering.render_pdf(certificate)
            ours += time.perf_counter() - started
            started = time.perf_counter()
            HTML(string=same_html[certificate.pk]).write_pdf()
            bare += time.perf_counter() - started
        ratios.append(ours / bare)
        ours_times.append(ours / len(certificates))
        bare_times.append(bare / len(certificates))

    print(f"certificates per round: {len(certificates)}, rounds: {args.rounds}")
    print(
        f"per certificate, median: ours {statistics.median(ours_times) * 1000:.1f} ms "
        f"(PDF/A-3b, tagged), bare write_pdf {statistics.median(bare_times) * 1000:.1f} ms"
    )
    print(f"ratio ours / bare (median of rounds, target <= 1.0): {statistics.median(ratios):.2f}")

    per_process = max(args.certificates, 8)
    one = throughput(ids, 1, per_process)
    two = throughput(ids, 2, per_process)
    print(f"certificates per second, 1 worker process: {one:.1f}")
    print(f"certificates per second, 2 worker processes: {two:.1f}")
    print(f"ratio 2 workers / 1 worker: {two / one:.2f} (on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
