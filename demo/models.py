"""The host site's own page: its home, the front door to the learner apps."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page


class HomePage(Page):
    """The site's root in each language: what the site is for, and a way to each place in it.

    The places are the learner apps' own pages; the template links them by URL name and by the
    links the apps add to the learner navigation, so the home page stores nothing of its own.
    """

    parent_page_types = ["wagtailcore.Page"]
    template = "demo/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")
