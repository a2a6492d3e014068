"""The learner's "Your data" pages; a host site includes them inside its ``i18n_patterns``,
e.g. ``path("learn/your-data/", include("lms.accounts.rights_urls"))``."""

from django.urls import path

from . import rights_views

app_name = "maalem_rights"

urlpatterns = [
    path("", rights_views.your_data, name="your_data"),
    path("download/", rights_views.download, name="download"),
    path("erase/", rights_views.erase, name="erase"),
    path("erased/", rights_views.erased, name="erased"),
]
