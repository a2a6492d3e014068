"""Machine-read URLs of lms.certificates, without a language prefix: include them at the root,
``path("", include("lms.certificates.credential_urls"))``. Credentials already issued point at
these addresses, so they must not move."""

from django.urls import path

from . import views

urlpatterns = [
    path(".well-known/jwks.json", views.jwks, name="certificates_jwks"),
    path("certificates/status/<int:number>/", views.status_list, name="certificates_status_list"),
]
