"""The crafts taxonomy for the demo, and the courses linked to the crafts that make goods."""

from __future__ import annotations

from collections import Counter
from io import StringIO

from django.core.management import call_command, get_commands
from django.db.models import Q

from lms.crafts.models import Craft
from maalem.core.pages import publish

from .site import DemoSite, languages

# Courses whose learners make and ship goods: they get linked to product crafts.
COURSES_FOR_PRODUCT_CRAFTS = ("photographing-products", "selling-on-a-marketplace")
# Words that name goods-making chains (textiles, leather, wood, pottery, metal, jewellery...),
# in French and English, matched against chain codes and names whatever the loaded list is.
PRODUCT_CHAIN_WORDS = (
    "textile",
    "tapis",
    "carpet",
    "cuir",
    "leather",
    "bois",
    "wood",
    "poterie",
    "pottery",
    "céramique",
    "ceramic",
    "terre",
    "métal",
    "metal",
    "bijou",
    "jewel",
)


def load_crafts(site: DemoSite) -> None:
    if "load_crafts" not in get_commands():
        site.notes.append("Crafts: the load_crafts command is not available; skipped.")
        return
    call_command("load_crafts", stdout=StringIO())


def craft_by_code(code: str) -> Craft | None:
    """The craft with this code, or none if the loaded list lacks it: never a craft picked by its
    place in the list, which would give a carpet shop someone else's trade."""
    return Craft.objects.filter(code=code).first()


def product_crafts(limit_per_chain: int = 2, chains: int = 4) -> list[Craft]:
    """A few crafts from chains that make goods to photograph and sell."""
    matches = Q()
    for word in PRODUCT_CHAIN_WORDS:
        matches |= (
            Q(chain__code__icontains=word)
            | Q(chain__name_fr__icontains=word)
            | Q(chain__name_en__icontains=word)
        )
    ordering = ("chain__code", "code")
    crafts = list(Craft.objects.filter(matches).select_related("chain").order_by(*ordering))
    if not crafts:
        crafts = list(Craft.objects.select_related("chain").order_by(*ordering))
    picked: list[Craft] = []
    per_chain: Counter[str] = Counter()
    for craft in crafts:
        chain = craft.chain.code
        if chain not in per_chain and len(per_chain) == chains:
            continue
        if per_chain[chain] < limit_per_chain:
            picked.append(craft)
            per_chain[chain] += 1
    return picked


def link_crafts(site: DemoSite) -> int:
    """Link product crafts to the photography and marketplace courses, in every language.

    Only courses with no crafts yet are touched, so what a trainer chose is kept.
    """
    crafts = product_crafts()
    if not crafts:
        site.notes.append("Crafts: no crafts are loaded; no course was linked to a craft.")
        return 0
    linked = 0
    for language in languages():
        for slug in COURSES_FOR_PRODUCT_CRAFTS:
            page = site.courses[language].get(slug)
            if page is None or page.crafts.exists():
                continue
            page.crafts = crafts
            publish(page)
            linked += 1
    return linked
