"""Machine-facing URLs of onboarding. Include them outside ``i18n_patterns``: the provider posts
to one fixed address, whatever the language."""

from django.urls import path

from . import webhooks

app_name = "onboarding"

urlpatterns = [
    path("onboarding/webhooks/payments/", webhooks.payments_webhook, name="payments_webhook"),
]
