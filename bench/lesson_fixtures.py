"""The lesson page bench's site: Django set up on a throwaway SQLite file, a bare Wagtail page
to compare with, and two courses of one realistic lesson repeated (5 and 100 lessons)."""

from __future__ import annotations

import json
import os
import sys
import types
from typing import Any

# One realistic lesson: what a trainer writes for "take photos of your work", 8 blocks.
LESSON_BODY: list[dict[str, Any]] = [
    {
        "type": "text",
        "value": {
            "text": "<p>Une bonne photo vend mieux qu'une longue description. Les acheteurs "
            "regardent d'abord l'image, puis le prix, puis le texte. Dans cette leçon, vous "
            "apprenez à photographier une pièce avec votre téléphone, sans matériel.</p>",
            "narration": None,
        },
    },
    {
        "type": "callout",
        "value": {"tone": "tip", "text": "Photographiez près d'une fenêtre, le matin."},
    },
    {
        "type": "text",
        "value": {
            "text": "<h3>Préparer la pièce</h3><ul><li>Nettoyez la pièce et retirez les fils.</li>"
            "<li>Posez-la sur un fond uni : un drap blanc ou un mur clair.</li>"
            "<li>Essuyez l'objectif du téléphone avec un tissu doux.</li></ul>",
            "narration": None,
        },
    },
    {
        "type": "callout",
        "value": {
            "tone": "warning",
            "text": "Évitez le flash : il écrase les couleurs et crée des reflets sur le cuivre "
            "et la céramique émaillée.",
        },
    },
    {
        "type": "text",
        "value": {
            "text": "<h3>Prendre trois photos</h3><ol><li>La pièce entière, de face.</li>"
            "<li>Un détail du travail : un motif, une couture, une gravure.</li>"
            "<li>La pièce dans une main ou à côté d'un objet connu, pour montrer la taille.</li>"
            "</ol><p>Tenez le téléphone à deux mains et appuyez doucement.</p>",
            "narration": None,
        },
    },
    {
        "type": "callout",
        "value": {
            "tone": "example",
            "text": "Un tapis de 2 m × 1,5 m : une photo entière, une photo du nœud, "
            "une photo avec une chaise à côté.",
        },
    },
    {
        "type": "text",
        "value": {
            "text": "<h3>Vérifier avant d'envoyer</h3><p>Agrandissez la photo avec deux doigts. "
            "Si les bords sont flous, recommencez. Une photo nette prise deux fois vaut mieux "
            "qu'une photo floue envoyée tout de suite.</p>",
            "narration": None,
        },
    },
    {
        "type": "text",
        "value": {
            "text": "<p>Dans la prochaine leçon, vous écrirez un titre et un prix pour cette "
            "pièce.</p>",
            "narration": None,
        },
    },
]

BARE_TEMPLATE = (
    '{% load wagtailcore_tags %}<!doctype html><html lang="fr"><head><meta charset="utf-8">'
    "<title>{{ page.title }}</title></head><body><h1>{{ page.title }}</h1>"
    "{% for block in page.body %}{% include_block block %}{% endfor %}</body></html>"
)


def configure_django(var_dir: str) -> None:
    """Settings as a deployment would have them, on a throwaway SQLite file."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["MAALEM_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-throwaway-key")
    # Production refuses to start without the personal-data keys; throwaway ones do here.
    os.environ.setdefault("PII_SALT_KEYS", "bench-only-throwaway-salt")
    os.environ.setdefault("PII_HMAC_KEY", "bench-only-throwaway-hmac")
    os.environ.setdefault("PHONE_HMAC_KEY", "bench-only-throwaway-phone-hmac")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not os.environ.get("CERTIFICATE_SIGNING_KEY"):
        from lms.certificates.keys import new_signing_key

        os.environ["CERTIFICATE_SIGNING_KEY"] = new_signing_key()

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    # Without collectstatic there is no manifest, so serve static names as they are; the bench
    # reads the CSS through the finders instead.
    override_settings(
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=install_bench_urls().__name__,
        STORAGES={
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()
    call_command("migrate", verbosity=0, interactive=False)


def install_bench_urls() -> types.ModuleType:
    """The site's URLs plus ``bare/<path>``: the baseline, a Wagtail page with nothing added."""
    from django.http import HttpRequest, HttpResponse
    from django.template import RequestContext, Template
    from django.urls import path
    from wagtail.models import Site

    from config import urls as site_urls

    template = Template(BARE_TEMPLATE)

    def bare_page(request: HttpRequest, page_path: str) -> HttpResponse:
        # What wagtail.views.serve does to find the page, then the plainest possible template.
        site = Site.find_for_request(request)
        page, _args, _kwargs = site.root_page.localized.specific.route(
            request, [part for part in page_path.split("/") if part]
        )
        return HttpResponse(template.render(RequestContext(request, {"page": page})))

    module = types.ModuleType("bench_lesson_page_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bare/<path:page_path>", bare_page),
        *site_urls.urlpatterns,
    ]
    sys.modules[module.__name__] = module
    return module


def build_course(catalogue: Any, title: str, lessons: int) -> list[Any]:
    from lms.courses.models import CoursePage, LessonPage

    course = CoursePage(title=title, slug=title.lower().replace(" ", "-"), summary="Vendre.")
    catalogue.add_child(instance=course)
    course.save_revision().publish()
    pages = []
    for number in range(1, lessons + 1):
        lesson = LessonPage(
            title=f"Leçon {number}", slug=f"lecon-{number}", body=json.dumps(LESSON_BODY)
        )
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
        pages.append(lesson)
    return [CoursePage.objects.get(pk=course.pk), *pages]


def build_site() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from wagtail.models import Site

    from lms.courses import services
    from lms.courses.models import CourseIndexPage

    home = Site.objects.get(is_default_site=True).root_page
    catalogue = CourseIndexPage(title="Formations", slug="formations")
    home.add_child(instance=catalogue)
    catalogue.save_revision().publish()
    small_course, *small_lessons = build_course(catalogue, "Photos", 5)
    big_course, *big_lessons = build_course(catalogue, "Tout vendre", 100)
    learner = get_user_model().objects.create_user("bench-learner", password="bench-Pass-42")
    services.enrol(learner, small_course)
    services.enrol(learner, big_course)
    return {
        "home": home,
        "catalogue": catalogue,
        "course": small_course,
        "lesson": small_lessons[2],
        "big_lesson": big_lessons[2],
        "learner": learner,
    }
