"""The learner's pages of onboarding. Include them inside ``i18n_patterns``, e.g.
``path("onboarding/", include("onboarding.learner_urls"))``: they speak the learner's language."""

from django.urls import path

from . import action_views, photo_views, poster_views, rights_views, views

app_name = "onboarding_learner"

urlpatterns = [
    path("", views.my_status, name="my_status"),
    path("cases/<int:case_id>/", views.status, name="status"),
    path("cases/<int:case_id>/application/", views.application, name="application"),
    path(
        "cases/<int:case_id>/action-required/",
        action_views.action_required,
        name="action_required",
    ),
    path("cases/<int:case_id>/withdraw/", rights_views.withdraw_consent, name="withdraw"),
    # Under the language prefix like every learner page: a refusal is a 404 page in her
    # language (outside the prefix, the locale middleware would turn it into a redirect).
    path("cases/<int:case_id>/photo/", photo_views.case_photo, name="case_photo"),
    path("cases/<int:case_id>/qr-poster/", poster_views.qr_poster, name="qr_poster"),
]
