"""Listens to lms.courses: every completed course gets its certificate.

The completion is recorded as pending first, so a failure to issue is retried (by
:mod:`.pending`) and shown to staff and to the learner, never lost.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from lms.courses.signals import course_completed

from . import pending


@receiver(course_completed, dispatch_uid="lms.certificates.issue_on_completion")
def issue_on_completion(sender: Any, completion: Any, **kwargs: Any) -> None:
    pending.record(completion)
    pending.attempt(completion.pk)
