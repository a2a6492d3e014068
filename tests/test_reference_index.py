"""Wagtail's reference index records content's links, not the records the workers write.

The admin's views register their models for indexing once its URLs are loaded, which every web
process does and a worker may: from then on each save of a case, an order or a certificate would
cost a read and a write of the index, for a "usage" list nobody reads.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import ReferenceIndex

from lms.certificates.models import Certificate
from onboarding.marketplace.models import Order, SellerProfilePage
from onboarding.models import OnboardingCase
from tests.builders import complete, make_course, make_learner
from tests.onboarding.order_builders import place_order
from tests.onboarding.product_builders import make_product, selling_seller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pii_keys")]


def indexed_from(model) -> int:
    content_type = ContentType.objects.get_for_model(model)
    return ReferenceIndex.objects.filter(content_type=content_type).count()


def test_cases_orders_and_certificates_stay_out_of_the_reference_index(
    django_capture_on_commit_callbacks,
):
    reverse("wagtailadmin_home")  # the admin loaded, as in any web process
    with django_capture_on_commit_callbacks(execute=True):
        complete(make_learner(), make_course(lessons=1, quiz=False))
    seller = selling_seller("Atelier Zellige")
    order, _token = place_order(seller, make_product(seller))
    order.save()
    case = OnboardingCase.objects.get(pk=seller.case_id)
    case.save()

    assert Certificate.objects.exists()
    assert indexed_from(OnboardingCase) == 0
    assert indexed_from(Order) == 0
    assert indexed_from(Certificate) == 0
    # The seller's page is content: its links (to its craft, its photo) are still recorded.
    assert indexed_from(SellerProfilePage) > 0
