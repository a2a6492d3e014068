"""The onboarding side: cases with their applicant profiles and timelines, and the live seller
pages of the active ones, placed in the page tree as treebeard would place them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page

from lms.crafts.models import Craft
from onboarding.marketplace.backend import marketplace_index
from onboarding.marketplace.models import SellerProfilePage
from onboarding.models import ApplicantProfile, CaseState, CaseTransition, OnboardingCase
from onboarding.pii import cin_digest
from onboarding.providers.base import AccountStatus

from .learning import Chunk
from .plan import Plan

# The road of a case that goes all the way; others stop part way, or leave it.
ROAD = (CaseState.ELIGIBLE, CaseState.KYC_PENDING, CaseState.SUBMITTED, CaseState.PROVISIONING)
ASIDE = (CaseState.MANUAL_REVIEW, CaseState.ACTION_REQUIRED, CaseState.REJECTED)
REGIONS = ("Fès-Meknès", "Marrakech-Safi", "Souss-Massa", "Casablanca-Settat", "Oriental")


class CaseFactory:
    def __init__(self, plan: Plan, first_ids: dict[str, int]) -> None:
        self.plan = plan
        self.ids = dict(first_ids)
        self.now = timezone.now()
        self.crafts: list[int | None] = [*Craft.objects.order_by("pk").values_list("pk", flat=True)]
        self.crafts = self.crafts or [None]
        self.index = marketplace_index()
        last = self.index.get_last_child()
        self.step = Page._str2int(last.path[-Page.steplen :]) if last else 0
        self.content_type = ContentType.objects.get_for_model(SellerProfilePage)

    def _id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name] - 1

    def add(self, chunk: Chunk, number: int, learner_id: int) -> None:
        if not self.plan.has_case(number):
            return
        live = self.plan.has_seller_page(number)
        road = [*ROAD, CaseState.ACTIVE] if live else [*ROAD[: 1 + number % 4]]
        if not live and number % 5 == 0:
            road.append(ASIDE[number % len(ASIDE)])
        at = self.now - timedelta(days=90, seconds=number)
        case = OnboardingCase(
            pk=self._id("case"),
            learner_id=learner_id,
            state=road[-1],
            requirements={},
            payment_account_ref=f"acct_{number:07d}" if live else "",
            payment_account_status=AccountStatus.ACTIVE if live else "",
            payment_account_updated_at=at if live else None,
            created_at=at,
            updated_at=at + timedelta(hours=len(road)),
        )
        chunk.add(case)
        previous = ""
        for hour, state in enumerate(road):
            chunk.add(
                CaseTransition(
                    pk=self._id("transition"),
                    case_id=case.pk,
                    from_state=previous,
                    to_state=state,
                    actor_label="system",
                    reason="scale dataset",
                    at=at + timedelta(hours=hour),
                )
            )
            previous = state
        craft = self.crafts[number % len(self.crafts)]
        region = REGIONS[number % len(REGIONS)]
        shop = f"Atelier {number:07d}"
        if len(road) > 1:
            cin = f"AB{number:06d}"[-8:]
            chunk.add(
                ApplicantProfile(
                    pk=self._id("applicant"),
                    case_id=case.pk,
                    cin=cin,
                    cin_digest=cin_digest(cin),
                    phone=f"+2126{number:08d}",
                    region=region,
                    craft_id=craft,
                    shop_name=shop,
                    created_at=at,
                    updated_at=at,
                )
            )
        if live:
            chunk.add(self._seller_page(case, craft, region, shop, at))

    def _seller_page(self, case: Any, craft: Any, region: str, shop: str, at: Any) -> Page:
        self.step += 1
        slug = f"atelier-{case.pk}"
        page_id = self._id("page")
        return SellerProfilePage(
            id=page_id,
            page_ptr_id=page_id,
            path=self.index.path + Page._int2str(self.step).rjust(Page.steplen, "0"),
            depth=self.index.depth + 1,
            numchild=0,
            title=shop,
            draft_title=shop,
            slug=slug,
            url_path=f"{self.index.url_path}{slug}/",
            locale_id=self.index.locale_id,
            content_type_id=self.content_type.pk,
            live=True,
            has_unpublished_changes=False,
            first_published_at=at,
            last_published_at=at,
            latest_revision_created_at=None,
            case_id=case.pk,
            craft_id=craft,
            region=region,
            story_fr="Je travaille le cuir depuis vingt ans.",
        )

    def finish(self) -> None:
        """Count the new children on the marketplace page, as treebeard would have."""
        added = Page.objects.filter(path__startswith=self.index.path, depth=self.index.depth + 1)
        Page.objects.filter(pk=self.index.pk).update(numchild=added.count())
