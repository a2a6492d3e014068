"""Phone sign-in pages, in their own namespace; a host site includes them where it wants, e.g.
``path("learn/sign-in/", include("lms.accounts.urls"))`` inside its ``i18n_patterns``."""

from django.urls import path

from . import views

app_name = "maalem_accounts"

urlpatterns = [
    path("", views.phone_sign_in, name="login"),
    path("code/", views.code_sign_in, name="login_code"),
    path("name/", views.your_name, name="your_name"),
]
