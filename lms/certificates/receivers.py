"""Listens to lms.courses: every completed course gets its certificate."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from lms.courses.signals import course_completed

from . import issuing


@receiver(course_completed, dispatch_uid="lms.certificates.issue_on_completion")
def issue_on_completion(sender: Any, completion: Any, **kwargs: Any) -> None:
    issuing.issue_certificate(completion)
