"""The host site's URLs, limited to the installed Maalem apps, as docs/install.md says."""

from django.apps import apps
from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", include(wagtailadmin_urls)),
    path("", include("lms.courses.api")),
]
learner_pages: list[URLPattern | URLResolver] = []
if apps.is_installed("lms.accounts"):
    learner_pages.append(path("learn/sign-in/", include("lms.accounts.urls")))
    learner_pages.append(path("learn/your-data/", include("lms.accounts.rights_urls")))
learner_pages.append(path("learn/", include("lms.courses.urls")))
if apps.is_installed("lms.certificates"):
    urlpatterns.append(path("", include("lms.certificates.credential_urls")))
    learner_pages.append(path("certificates/", include("lms.certificates.urls")))
if apps.is_installed("onboarding"):
    urlpatterns.append(path("", include("onboarding.urls")))
    learner_pages.append(path("onboarding/", include("onboarding.learner_urls")))

urlpatterns += i18n_patterns(*learner_pages, path("", include(wagtail_urls)))
