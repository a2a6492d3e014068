"""The case page: where the case stands, the application with its personal data masked, the
other cases with the same national ID side by side (:mod:`.duplicates`), the steps, the timeline of
every move, and the actions the operator may take."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from wagtail.admin.views import generic

from maalem.core.masking import mask
from maalem.core.phones import mask_phone

from .. import pii
from ..models import ApplicantProfile, CaseTransition, OnboardingCase
from .actions import ACTIONS, action_url
from .duplicates import comparison


def case_title(case: OnboardingCase) -> str:
    return _("Case %(id)s") % {"id": case.pk}


def timeline_actor(case: OnboardingCase, line: CaseTransition) -> str:
    """Who made a move: the operator's name, or what the label says (learner, system...).

    The learner's own name is not shown: the case page stays free of personal data.
    """
    if line.actor is not None and line.actor.pk != case.learner_id:
        return line.actor.get_full_name() or line.actor.get_username()
    return line.actor_label


class CaseInspectView(generic.InspectView):
    template_name = "onboarding/admin/case.html"
    any_permission_required = ["view"]

    def get_page_subtitle(self) -> str:
        return case_title(self.object)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case = self.object
        applicant = ApplicantProfile.objects.filter(case=case).select_related("craft").first()
        context.update(
            {
                "case": case,
                "applicant": applicant,
                "masked_cin": pii.mask_cin(applicant.cin) if applicant else "",
                "masked_phone": mask_phone(applicant.phone) if applicant else "",
                "masked_register_number": (
                    mask(applicant.artisan_register_number, start=2, end=2) if applicant else ""
                ),
                "steps": case.steps.order_by("created_at", "pk"),
                "timeline": [
                    {"line": line, "by": timeline_actor(case, line)}
                    for line in case.transitions.select_related("actor").order_by("at", "pk")
                ],
                "actions": [
                    {"action": action, "url": action_url(case, action.name)}
                    for action in ACTIONS.values()
                    if action.is_offered(self.request.user, case)
                ],
                **comparison(case, applicant, self.request.user),
            }
        )
        return context
