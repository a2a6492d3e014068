"""Pages of lms.certificates. Include them under a language prefix, e.g.
``path("certificates/", include("lms.certificates.urls"))`` inside ``i18n_patterns``."""

from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("<uuid:certificate_id>/pdf/", views.download_pdf, name="download_pdf"),
    path("<uuid:certificate_id>/credential/", views.download_credential, name="credential"),
]
