"""Machine-facing URLs of onboarding. Include them outside ``i18n_patterns``: the provider posts
to one fixed address, whatever the language; a photo has one address in every language."""

from django.urls import path

from . import photo_views, webhooks

app_name = "onboarding"

urlpatterns = [
    path("onboarding/webhooks/payments/", webhooks.payments_webhook, name="payments_webhook"),
    path("onboarding/cases/<int:case_id>/photo/", photo_views.case_photo, name="case_photo"),
]
