from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Category, Chain, Craft

NAME_SEARCH = ["code", "name_ar", "name_fr", "name_en"]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-1"
    list_display = ["code", "name_fr", "name_ar", "name_en"]
    search_fields = NAME_SEARCH
    ordering = ["code"]


class ChainViewSet(SnippetViewSet):
    model = Chain
    icon = "list-ul"
    list_display = ["code", "name_fr", "name_ar", "category"]
    list_filter = ["category"]
    search_fields = NAME_SEARCH
    ordering = ["code"]


class CraftViewSet(SnippetViewSet):
    model = Craft
    icon = "tag"
    list_display = ["code", "name_fr", "name_ar", "chain"]
    list_filter = ["chain__category", "chain"]
    search_fields = NAME_SEARCH
    ordering = ["code"]


class CraftsViewSetGroup(SnippetViewSetGroup):
    items = (CraftViewSet, ChainViewSet, CategoryViewSet)
    menu_label = _("Crafts")
    menu_icon = "tag"
    menu_order = 400


register_snippet(CraftsViewSetGroup)
