from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config import health

urlpatterns: list[URLPattern | URLResolver] = [
    # For the load balancer: outside the language prefixes, never redirected (SECURE_REDIRECT_EXEMPT).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("lms.certificates.credential_urls")),
    path("", include("onboarding.urls")),
    path("", include("lms.courses.api")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("learn/sign-in/", include("lms.accounts.urls")),
    path("learn/your-data/", include("lms.accounts.rights_urls")),
    path("learn/", include("lms.courses.urls")),
    path("certificates/", include("lms.certificates.urls")),
    path("onboarding/", include("onboarding.learner_urls")),
    path("sell/", include("onboarding.marketplace.seller_urls")),
    path("orders/", include("onboarding.marketplace.order_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
