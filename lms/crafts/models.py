"""The crafts taxonomy: categories, production chains ("filières") and crafts.

Each level has a stable code, which the CSV loader matches on, and a name in each interface
language. The names sit side by side on one row rather than in per-locale copies, because a code
names the same craft in every language.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class NamedInLanguages(models.Model):
    code = models.SlugField(max_length=60, unique=True, verbose_name=_("code"))
    name_ar = models.CharField(max_length=200, verbose_name=_("name in Arabic"))
    name_fr = models.CharField(max_length=200, verbose_name=_("name in French"))
    name_en = models.CharField(max_length=200, blank=True, verbose_name=_("name in English"))

    class Meta:
        abstract = True
        ordering = ["code"]

    @property
    def name(self) -> str:
        """The name in the active language, falling back to French, then the code."""
        language = (get_language() or "fr").split("-")[0]
        return getattr(self, f"name_{language}", "") or self.name_fr or self.code

    def __str__(self) -> str:
        return self.name


class Category(NamedInLanguages):
    class Meta(NamedInLanguages.Meta):
        verbose_name = _("craft category")
        verbose_name_plural = _("craft categories")


class Chain(NamedInLanguages):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="chains", verbose_name=_("category")
    )

    class Meta(NamedInLanguages.Meta):
        verbose_name = _("production chain")
        verbose_name_plural = _("production chains")


class Craft(NamedInLanguages):
    chain = models.ForeignKey(
        Chain, on_delete=models.PROTECT, related_name="crafts", verbose_name=_("production chain")
    )

    class Meta(NamedInLanguages.Meta):
        verbose_name = _("craft")
        verbose_name_plural = _("crafts")
