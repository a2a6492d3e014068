"""The lists a learner picks from in the application: regions and crafts."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext_noop
from localflavor.ma.ma_regions import REGION_CHOICES

from lms.crafts.models import Chain, Craft

from .conf import app_settings

# django-localflavor names Morocco's regions in French and has no Arabic for them; the same
# names are marked here so that onboarding's catalogue translates them.
REGION_NAMES = (
    gettext_noop("Tanger-Tétouan-Al Hoceïma"),
    gettext_noop("L’Oriental"),
    gettext_noop("Fès-Meknès"),
    gettext_noop("Rabat-Salé-Kénitra"),
    gettext_noop("Béni Mellal-Khénifra"),
    gettext_noop("Casablanca-Settat"),
    gettext_noop("Marrakech-Safi"),
    gettext_noop("Drâa-Tafilalet"),
    gettext_noop("Souss-Massa"),
    gettext_noop("Guelmim-Oued Noun"),
    gettext_noop("Laâyoune-Sakia El Hamra"),
    gettext_noop("Dakhla-Oued Ed Dahab"),
)


def region_choices() -> list[tuple[str, str]]:
    """The regions a learner picks from: ``ONBOARDING_REGIONS`` if set, else Morocco's 12.

    The value stored is the region's untranslated name, so it reads the same in every language
    and ``ApplicantProfile.region_name`` translates it for display.
    """
    configured = app_settings.REGIONS
    if configured:
        names = [str(name) for _code, name in configured]
    else:
        with translation.override(None):
            names = [str(name) for _code, name in REGION_CHOICES]
    return [(name, translation.gettext(name)) for name in names]


def craft_choices() -> list[tuple[str, Any]]:
    """Crafts grouped by production chain, for a select with ``<optgroup>``s."""
    groups: dict[Chain, list[tuple[str, str]]] = {}
    for craft in Craft.objects.select_related("chain").order_by("chain__code", "code"):
        groups.setdefault(craft.chain, []).append((str(craft.pk), craft.name))
    return [
        (chain.name, sorted(crafts, key=lambda choice: choice[1]))
        for chain, crafts in sorted(groups.items(), key=lambda item: item[0].name)
    ]
