"""Removing a dataset written by ``load_scale_data``: every row that hangs off its learners (their
user names start with ``scale-``), in an order the foreign keys accept, then the tree counts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection, models

from lms.accounts.models import LearnerPhone
from lms.certificates.models import Certificate, CertificateEvent
from lms.courses.models import CourseCompletion, Enrolment, LessonProgress, QuizAttempt
from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import ApplicantProfile, CaseTransition, OnboardingCase

PREFIX = "scale-"


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def remove_dataset() -> None:
    User = get_user_model()
    learners = f"SELECT id FROM {_table(User)} WHERE username LIKE %s"
    cases = f"SELECT id FROM {_table(OnboardingCase)} WHERE learner_id IN ({learners})"
    enrolments = f"SELECT id FROM {_table(Enrolment)} WHERE learner_id IN ({learners})"
    certificates = f"SELECT id FROM {_table(Certificate)} WHERE learner_id IN ({learners})"
    pages = f"SELECT page_ptr_id FROM {_table(SellerProfilePage)} WHERE case_id IN ({cases})"
    statements = [
        f"CREATE TEMP TABLE scale_pages ON COMMIT DROP AS {pages}",
        f"DELETE FROM {_table(SellerProfilePage)} WHERE page_ptr_id IN (SELECT * FROM scale_pages)",
        "DELETE FROM wagtailcore_page WHERE id IN (SELECT * FROM scale_pages)",
        f"DELETE FROM {_table(CertificateEvent)} WHERE certificate_id IN ({certificates})",
        f"DELETE FROM {_table(Certificate)} WHERE learner_id IN ({learners})",
        f"DELETE FROM {_table(CourseCompletion)} WHERE learner_id IN ({learners})",
        f"DELETE FROM {_table(QuizAttempt)} WHERE enrolment_id IN ({enrolments})",
        f"DELETE FROM {_table(LessonProgress)} WHERE enrolment_id IN ({enrolments})",
        f"DELETE FROM {_table(Enrolment)} WHERE learner_id IN ({learners})",
        f"DELETE FROM {_table(CaseTransition)} WHERE case_id IN ({cases})",
        f"DELETE FROM {_table(ApplicantProfile)} WHERE case_id IN ({cases})",
        f"DELETE FROM {_table(OnboardingCase)} WHERE learner_id IN ({learners})",
        f"DELETE FROM {_table(LearnerPhone)} WHERE user_id IN ({learners})",
        f"DELETE FROM {_table(User)} WHERE username LIKE %s",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, [PREFIX + "%"] * statement.count("%s"))
        # The marketplace pages lost children: count them again from the paths.
        cursor.execute(
            "UPDATE wagtailcore_page AS parent SET numchild = ("
            " SELECT count(*) FROM wagtailcore_page AS child"
            " WHERE child.path LIKE parent.path || '____' )"
            " WHERE parent.id IN (SELECT page_ptr_id FROM maalem_marketplace_marketplaceindexpage)"
        )
