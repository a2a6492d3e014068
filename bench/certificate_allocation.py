"""Status-list entries: the old random slot with five retries against the keyed-permutation
allocator, as a list fills, and how fast each issues certificates.

Run: .venv/bin/python bench/certificate_allocation.py [--size 131072] [--certificates 400]

Prints, from one run, side by side:
- the share of issuances that get an entry when the list is 75 %, 90 %, 99 % and 100 % full:
  the old way (a random slot, up to five tries), measured by drawing against a list filled to
  that level and against the formula 1 - fill^5, and the new allocator (a counter through the
  list's permutation, then the next list), measured the same way;
- that the permutation hands out each of the ``--size`` slots exactly once;
- certificates issued per second through the database, old way and new way, and their ratio.

Ratios and rates, not pass or fail. It uses a throwaway SQLite database in a temporary
MAALEM_VAR_DIR, so it touches nothing of yours.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MAALEM_VAR_DIR"] = tempfile.mkdtemp(prefix="maalem-bench-allocation-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ["CELERY_BROKER_URL"] = "memory://"
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import IntegrityError, transaction  # noqa: E402

from lms.certificates import codes, issuing, permutation  # noqa: E402
from lms.certificates.models import Certificate, CertificateEvent, StatusList  # noqa: E402
from lms.courses.models import CourseCompletion, Enrolment  # noqa: E402

FILLS = (0.75, 0.90, 0.99, 1.00)
TRIES = 5


def old_success_rate(size: int, fill: float, draws: int, rng: random.Random) -> float:
    """A list with ``fill`` of its slots taken; each issuance draws up to five random slots."""
    taken = set(rng.sample(range(size), int(size * fill)))
    won = 0
    for _ in range(draws):
        for _try in range(TRIES):
            if rng.randrange(size) not in taken:
                won += 1
                break
    return won / draws


def new_success_rate(size: int, fill: float, draws: int) -> float:
    """The same list filled by the allocator; issuances go on from its counter, then to list 2."""
    seed = secrets.token_bytes(16)
    lists = [(seed, int(size * fill))]
    taken: set[tuple[int, int]] = set()
    won = 0
    for _ in range(draws):
        number = len(lists) - 1
        list_seed, counter = lists[number]
        if counter >= size:
            lists.append((secrets.token_bytes(16), 0))
            number, (list_seed, counter) = len(lists) - 1, lists[-1]
        entry = (number, permutation.slot(list_seed, size, counter))
        lists[number] = (list_seed, counter + 1)
        if entry not in taken:
            taken.add(entry)
            won += 1
    return won / draws


def permutation_is_whole(size: int) -> tuple[bool, float]:
    seed = secrets.token_bytes(16)
    started = time.perf_counter()
    slots = {permutation.slot(seed, size, counter) for counter in range(size)}
    return len(slots) == size and max(slots) == size - 1, time.perf_counter() - started


def make_completions(count: int) -> list[CourseCompletion]:
    course_key = uuid.uuid4()
    run = uuid.uuid4().hex[:6]
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bench-{run}-{n}", first_name="Bench") for n in range(count)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(learner=user, course_key=course_key) for user in users
    )
    return CourseCompletion.objects.bulk_create(
        CourseCompletion(learner=user, course_key=course_key, enrolment=enrolment)
        for user, enrolment in zip(users, enrolments, strict=True)
    )


def old_issue(completion: CourseCompletion, size: int) -> Certificate | None:
    """Issuing as it was: the same fields, a random entry of list 1, five tries."""
    fields = issuing._new_certificate_fields(completion)
    for _attempt in range(TRIES):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    completion=completion, status_index=secrets.randbelow(size), **fields
                )
                CertificateEvent.objects.create(
                    certificate=certificate, action=CertificateEvent.Action.ISSUED
                )
            return certificate
        except IntegrityError:
            fields["code"] = codes.new_code()
    return None


def issue_rate(count: int, size: int, issue: Callable[[CourseCompletion], object]) -> float:
    settings.LMS_CERTIFICATES_STATUS_LIST_SIZE = size
    Certificate.objects.all().delete()
    StatusList.objects.all().delete()
    completions = make_completions(count)
    started = time.perf_counter()
    for completion in completions:
        issue(completion)
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=2**17)
    parser.add_argument("--draws", type=int, default=20_000)
    parser.add_argument("--certificates", type=int, default=400)
    args = parser.parse_args()
    rng = random.Random(20261202)
    call_command("migrate", verbosity=0)

    print(f"list size {args.size}, {args.draws} issuances per fill level")
    print(f"{'fill':>6} {'old (measured)':>15} {'old (1-f^5)':>12} {'new':>8}")
    for fill in FILLS:
        old = old_success_rate(args.size, fill, args.draws, rng)
        new = new_success_rate(args.size, fill, args.draws)
        print(f"{fill:>6.0%} {old:>15.2%} {1 - fill**TRIES:>12.2%} {new:>8.2%}")

    whole, seconds = permutation_is_whole(args.size)
    print(
        f"permutation of {args.size} slots: each slot once: {whole} "
        f"({seconds / args.size * 1e6:.1f} µs a slot)"
    )

    count = args.certificates
    old_rate = issue_rate(count, args.size, lambda c: old_issue(c, args.size))
    new_rate = issue_rate(count, args.size, issuing.issue_certificate)
    small = max(16, count // 4)
    rolling_rate = issue_rate(count, small, issuing.issue_certificate)
    lists = StatusList.objects.count()
    print(f"issuing {count} certificates one after another (SQLite), certificates per second:")
    print(f"  old, random slot in a list of {args.size}: {old_rate:.0f}")
    print(f"  new, allocator, a list of {args.size}: {new_rate:.0f}")
    print(f"  new, allocator, lists of {small} ({lists} opened): {rolling_rate:.0f}")
    print(
        f"  ratio new / old: {new_rate / old_rate:.2f}; "
        f"with new lists opened: {rolling_rate / old_rate:.2f}"
    )


if __name__ == "__main__":
    main()
