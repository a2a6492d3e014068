"""Included by lms.courses.urls under ``sign-in/``, in the ``lms`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.phone_sign_in, name="login"),
    path("code/", views.code_sign_in, name="login_code"),
    path("name/", views.your_name, name="your_name"),
]
