"""The learner's pages of onboarding. Include them inside ``i18n_patterns``, e.g.
``path("onboarding/", include("onboarding.learner_urls"))``: they speak the learner's language."""

from django.urls import path

from . import views

app_name = "onboarding_learner"

urlpatterns = [
    path("", views.my_status, name="my_status"),
    path("cases/<int:case_id>/", views.status, name="status"),
    path("cases/<int:case_id>/application/", views.application, name="application"),
]
