"""Build the demo site: the "Sell online" courses in French, Arabic and English, and learners.

Everything here finds what an earlier run made before it makes anything, so running it again
changes nothing. French is written first and the other languages are Wagtail translations of it
(``copy_for_translation``): the copies keep the French StreamField block ids and answer ids, so a
quiz answered in Arabic is graded against the same ids as in French, and a learner's progress
follows them from one language to the other.

Learner progress is made only through :mod:`lms.courses.services`, as a learner's phone would.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management import call_command, get_commands
from django.db import transaction
from django.db.models import Q
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail.utils.file import hash_filelike

from demo.narration import Voices, can_speak
from lms.courses import services, trainers
from lms.courses.models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LearningPath,
    LearningPathCourse,
    LessonPage,
)
from lms.crafts.models import Craft

from .covers import draw_cover

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "sell_online.json"
SOURCE_LANGUAGE = "fr"
TRANSLATED_LANGUAGES = ("ar", "en")
# Documented in the README; a demo site is never a production site.
DEMO_PASSWORD = "maalem-demo-2026"

Text = dict[str, str]

HOME_TITLE: Text = {"fr": "Maalem", "ar": "مْعلّم", "en": "Maalem"}
CATALOGUE_SLUG = "courses"
CATALOGUE_TITLE: Text = {"fr": "Formations", "ar": "الدورات", "en": "Courses"}
CATALOGUE_INTRO: Text = {
    "fr": "<p>Des cours courts, faits pour le téléphone, pour vendre votre artisanat en ligne.</p>",
    "ar": "<p>دورات قصيرة، مصمَّمة للهاتف، لتبيع منتجاتك الحرفية عبر الإنترنت.</p>",
    "en": "<p>Short courses, made for your phone, to sell your craft online.</p>",
}
# Courses whose learners make and ship goods: they get linked to product crafts.
COURSES_FOR_PRODUCT_CRAFTS = ("photographing-products", "selling-on-a-marketplace")
# Words that name goods-making chains (textiles, leather, wood, pottery, metal, jewellery...),
# in French and English, matched against chain codes and names whatever the loaded list is.
PRODUCT_CHAIN_WORDS = (
    "textile",
    "tapis",
    "carpet",
    "cuir",
    "leather",
    "bois",
    "wood",
    "poterie",
    "pottery",
    "céramique",
    "ceramic",
    "terre",
    "métal",
    "metal",
    "bijou",
    "jewel",
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    story: str


ADMIN = DemoUser("admin", "Nadia", "Alaoui", "site administrator")
TRAINER = DemoUser("trainer", "Samira", "Bennani", "trainer, writes courses in the admin")
FATIMA = DemoUser("fatima", "Fatima Zahra", "El Amrani", "new learner, enrolled in nothing")
YOUSSEF = DemoUser("youssef", "Youssef", "Aït Lahcen", "reads Arabic; 1 lesson of course 1 done")
KHADIJA = DemoUser("khadija", "Khadija", "Bennis", "completed course 1; failed the course 2 quiz")
HASSAN = DemoUser("hassan", "Hassan", "Ouazzani", "finished the whole learning path")
LEARNERS = (FATIMA, YOUSSEF, KHADIJA, HASSAN)


@dataclass
class DemoSite:
    """What the build made or found: pages by language, so later steps can link them."""

    locales: dict[str, Locale] = field(default_factory=dict)
    homes: dict[str, Page] = field(default_factory=dict)
    catalogues: dict[str, CourseIndexPage] = field(default_factory=dict)
    # language -> course slug -> page, in prerequisite order.
    courses: dict[str, dict[str, CoursePage]] = field(default_factory=dict)
    paths: dict[str, LearningPath] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    voices: Voices | None = None


@dataclass(frozen=True)
class Summary:
    pages_per_language: dict[str, int]
    courses_per_language: dict[str, int]
    lessons_per_language: dict[str, int]
    learners: list[DemoUser]
    sign_in_names: list[str]
    password: str
    notes: list[str]


def load_content(path: Path = CONTENT_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as file:
        return json.load(file)


def languages() -> tuple[str, ...]:
    return (SOURCE_LANGUAGE, *TRANSLATED_LANGUAGES)


def in_prerequisite_order(courses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The courses with every prerequisite before the courses that need it, else as written."""
    placed: set[str] = set()
    ordered: list[dict[str, Any]] = []
    pending = list(courses)
    while pending:
        ready = next((c for c in pending if set(c["prerequisites"]) <= placed), None)
        if ready is None:
            raise ValueError("The prerequisites of the demo courses form a cycle.")
        pending.remove(ready)
        placed.add(ready["slug"])
        ordered.append(ready)
    return ordered


# Building lesson bodies -------------------------------------------------------------------------


def lesson_blocks(
    lesson: dict[str, Any], language: str, voices: Voices | None = None
) -> list[dict[str, Any]]:
    """A reading lesson's body as StreamField raw data (no ids: saving gives them)."""
    blocks: list[dict[str, Any]] = []
    for block in lesson["body"]:
        if block["type"] == "text":
            html = block["value"][language]
            # The lesson's opening words are read aloud, for learners who do not read well.
            narration = voices.narration(html, language) if voices and not blocks else None
            value = {"text": html, "narration": narration.pk if narration else None}
            blocks.append({"type": "text", "value": value})
        elif block["type"] == "callout":
            blocks.append(
                {
                    "type": "callout",
                    "value": {"tone": block["tone"], "text": block["value"][language]},
                }
            )
        else:
            raise ValueError(f"Unknown block type in the demo content: {block['type']!r}")
    return blocks


def quiz_blocks(quiz: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """A quiz lesson's body: the intro as text, then one question block per question."""
    blocks: list[dict[str, Any]] = [
        {"type": "text", "value": f"<p>{escape(quiz['intro'][language])}</p>"}
    ]
    for question in quiz["questions"]:
        blocks.append(
            {
                "type": "question",
                "value": {
                    "kind": question["kind"],
                    "prompt": question["prompt"][language],
                    "image": None,
                    "narration": None,
                    "options": [
                        {
                            "text": option["text"][language],
                            "image": None,
                            "correct": option["correct"],
                            "feedback": option["feedback"][language],
                        }
                        for option in question["options"]
                    ],
                },
            }
        )
    return blocks


def translated_body(stored: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> list[Any]:
    """``stored`` (raw data with ids) with its words replaced by those of ``wanted``.

    Only strings change: block ids, answer ids, kinds, tones and which answers are correct stay
    as they are, because learners' answers are recorded against those ids in every language.
    """
    if len(stored) != len(wanted):
        raise ValueError("The translated body has a different number of blocks.")
    body = copy.deepcopy(stored)
    for block, source in zip(body, wanted, strict=True):
        if block["type"] != source["type"]:
            raise ValueError(f"Block {block['type']!r} cannot take a {source['type']!r}.")
        if block["type"] == "text":
            block["value"] = source["value"]
        elif block["type"] == "callout":
            block["value"]["text"] = source["value"]["text"]
        elif block["type"] == "question":
            block["value"]["prompt"] = source["value"]["prompt"]
            options = block["value"]["options"]
            for option, source_option in zip(options, source["value"]["options"], strict=True):
                # ListBlock children are stored as {"type": "item", "value": ..., "id": ...}.
                value = option["value"] if "id" in option and "value" in option else option
                value["text"] = source_option["text"]
                value["feedback"] = source_option["feedback"]
    return body


# Pages -----------------------------------------------------------------------------------------


def publish(page: Page) -> None:
    page.save_revision().publish()


def ensure_locales() -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in languages()}


def translate_page(page: Page, locale: Locale, fill: Callable[[Any], None]) -> Page:
    """The translation of ``page`` into ``locale``: found, or copied, filled in and published.

    Parents are translated first, so a missing parent translation is a bug to surface rather
    than something to paper over with copy_parents.
    """
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translation = page.copy_for_translation(locale, copy_parents=False).specific
    fill(translation)
    publish(translation)
    return translation.specific_class.objects.get(pk=translation.pk)


def ensure_homes(locales: dict[str, Locale]) -> dict[str, Page]:
    """Wagtail's default root page becomes the French home; Arabic and English copy it."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    if home.title != HOME_TITLE[SOURCE_LANGUAGE]:
        home.title = home.draft_title = HOME_TITLE[SOURCE_LANGUAGE]
        publish(home)
    homes = {SOURCE_LANGUAGE: home}
    for language in TRANSLATED_LANGUAGES:

        def fill(page: Page, language: str = language) -> None:
            page.title = HOME_TITLE[language]

        homes[language] = translate_page(home, locales[language], fill)
    return homes


def ensure_catalogues(
    homes: dict[str, Page], locales: dict[str, Locale]
) -> dict[str, CourseIndexPage]:
    home = homes[SOURCE_LANGUAGE]
    # A home holds one catalogue at most, whatever its slug.
    catalogue = CourseIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = CourseIndexPage(
            title=CATALOGUE_TITLE[SOURCE_LANGUAGE],
            slug=CATALOGUE_SLUG,
            intro=CATALOGUE_INTRO[SOURCE_LANGUAGE],
            locale=locales[SOURCE_LANGUAGE],
        )
        home.add_child(instance=catalogue)
        publish(catalogue)
    catalogues = {SOURCE_LANGUAGE: catalogue}
    for language in TRANSLATED_LANGUAGES:

        def fill(page: CourseIndexPage, language: str = language) -> None:
            page.title = CATALOGUE_TITLE[language]
            page.intro = CATALOGUE_INTRO[language]

        catalogues[language] = translate_page(catalogue, locales[language], fill)  # type: ignore[assignment]
    return catalogues


def ensure_cover_image(course: dict[str, Any], variant: int) -> Any:
    """The course's generated cover, found by title so a rerun reuses it."""
    image_model = get_image_model()
    title = f"Couverture : {course['title'][SOURCE_LANGUAGE]}"
    image = image_model.objects.filter(title=title).first()
    if image is not None:
        return image
    data = draw_cover(variant)
    image = image_model(
        title=title,
        collection=Collection.get_first_root_node(),
        file=ImageFile(BytesIO(data), name=f"{course['slug']}-cover.jpg"),
        file_size=len(data),
        file_hash=hash_filelike(BytesIO(data)),
    )
    image.save()
    return image


def ensure_course(
    catalogue: CourseIndexPage,
    course: dict[str, Any],
    prerequisites: list[CoursePage],
    cover: Any,
    voices: Voices | None = None,
) -> CoursePage:
    """The French course page and its lessons, then the quiz as the last lesson."""
    page = CoursePage.objects.child_of(catalogue).filter(slug=course["slug"]).first()
    if page is None:
        page = CoursePage(
            title=course["title"][SOURCE_LANGUAGE],
            slug=course["slug"],
            summary=course["summary"][SOURCE_LANGUAGE],
            duration_minutes=course["duration_minutes"],
            level=course["level"],
            pass_mark=course["pass_mark"],
            max_quiz_attempts=course["max_quiz_attempts"],
            cover_image=cover,
            locale=catalogue.locale,
        )
        page.prerequisites = prerequisites
        catalogue.add_child(instance=page)
        publish(page)
    for lesson in course["lessons"]:
        ensure_lesson(
            page,
            slug=lesson["slug"],
            title=lesson["title"][SOURCE_LANGUAGE],
            minutes=lesson["minutes"],
            blocks=lesson_blocks(lesson, SOURCE_LANGUAGE, voices),
        )
    quiz = course["quiz"]
    ensure_lesson(
        page,
        slug=quiz["slug"],
        title=quiz["title"][SOURCE_LANGUAGE],
        minutes=quiz_minutes(quiz),
        blocks=quiz_blocks(quiz, SOURCE_LANGUAGE),
    )
    return CoursePage.objects.get(pk=page.pk)


def quiz_minutes(quiz: dict[str, Any]) -> int:
    # About a minute to read and answer each question on a phone, plus the intro.
    return len(quiz["questions"]) + 1


def ensure_lesson(
    course: CoursePage, slug: str, title: str, minutes: int, blocks: list[dict[str, Any]]
) -> LessonPage:
    lesson = LessonPage.objects.child_of(course).filter(slug=slug).first()
    if lesson is None:
        # Raw JSON: LessonPage.save binds ids to every block and answer before storing them.
        lesson = LessonPage(
            title=title, slug=slug, minutes=minutes, body=json.dumps(blocks), locale=course.locale
        )
        course.add_child(instance=lesson)
        publish(lesson)
    return lesson


def translate_course(
    source: CoursePage,
    course: dict[str, Any],
    locale: Locale,
    prerequisites: list[CoursePage],
    voices: Voices | None = None,
) -> CoursePage:
    """The course in ``locale``, lessons included, with prerequisites in the same language."""
    language = locale.language_code

    def fill(page: CoursePage) -> None:
        page.title = course["title"][language]
        page.summary = course["summary"][language]
        page.prerequisites = prerequisites

    translation = translate_page(source, locale, fill)
    lessons = {lesson.slug: lesson for lesson in source.get_children().type(LessonPage).specific()}
    for lesson in course["lessons"]:
        translate_lesson(
            lessons[lesson["slug"]],
            locale,
            title=lesson["title"][language],
            blocks=lesson_blocks(lesson, language, voices),
        )
    quiz = course["quiz"]
    translate_lesson(
        lessons[quiz["slug"]],
        locale,
        title=quiz["title"][language],
        blocks=quiz_blocks(quiz, language),
    )
    return translation  # type: ignore[return-value]


def translate_lesson(
    source: LessonPage, locale: Locale, title: str, blocks: list[dict[str, Any]]
) -> LessonPage:
    def fill(page: LessonPage) -> None:
        page.title = title
        page.body = json.dumps(translated_body(page.body.get_prep_value(), blocks))

    return translate_page(source, locale, fill)  # type: ignore[return-value]


def ensure_courses(content: dict[str, Any], site: DemoSite) -> dict[str, dict[str, CoursePage]]:
    # Covers follow the written order, so each course keeps its colours if prerequisites change.
    covers = {
        course["slug"]: ensure_cover_image(course, variant)
        for variant, course in enumerate(content["courses"])
    }
    ordered = in_prerequisite_order(content["courses"])
    courses: dict[str, dict[str, CoursePage]] = {language: {} for language in languages()}
    for course in ordered:
        courses[SOURCE_LANGUAGE][course["slug"]] = ensure_course(
            site.catalogues[SOURCE_LANGUAGE],
            course,
            prerequisites=[courses[SOURCE_LANGUAGE][slug] for slug in course["prerequisites"]],
            cover=covers[course["slug"]],
            voices=site.voices,
        )
    for language in TRANSLATED_LANGUAGES:
        for course in ordered:
            courses[language][course["slug"]] = translate_course(
                courses[SOURCE_LANGUAGE][course["slug"]],
                course,
                site.locales[language],
                prerequisites=[courses[language][slug] for slug in course["prerequisites"]],
                voices=site.voices,
            )
    return courses


# Learning path ---------------------------------------------------------------------------------


def ensure_learning_paths(content: dict[str, Any], site: DemoSite) -> dict[str, LearningPath]:
    spec = content["path"]
    slugs = [course["slug"] for course in content["courses"]]

    def items(language: str) -> list[LearningPathCourse]:
        return [
            LearningPathCourse(course=site.courses[language][slug], sort_order=i)
            for i, slug in enumerate(slugs)
        ]

    source_locale = site.locales[SOURCE_LANGUAGE]
    path = LearningPath.objects.filter(
        locale=source_locale, title=spec["title"][SOURCE_LANGUAGE]
    ).first()
    if path is None:
        path = LearningPath(
            locale=source_locale,
            title=spec["title"][SOURCE_LANGUAGE],
            intro=spec["intro"][SOURCE_LANGUAGE],
        )
        path.items = items(SOURCE_LANGUAGE)
        path.save()
    paths = {SOURCE_LANGUAGE: path}
    for language in TRANSLATED_LANGUAGES:
        translation = path.get_translation_or_none(site.locales[language])
        if translation is None:
            translation = path.copy_for_translation(site.locales[language])
            translation.title = spec["title"][language]
            translation.intro = spec["intro"][language]
            # The copied items still point at the French courses.
            translation.items = items(language)
            translation.save()
        paths[language] = translation
    return paths


# Crafts ----------------------------------------------------------------------------------------


def load_crafts(site: DemoSite) -> None:
    if "load_crafts" not in get_commands():
        site.notes.append("Crafts: the load_crafts command is not available; skipped.")
        return
    call_command("load_crafts", stdout=StringIO())


def product_crafts(limit_per_chain: int = 2, chains: int = 4) -> list[Craft]:
    """A few crafts from chains that make goods to photograph and sell."""
    matches = Q()
    for word in PRODUCT_CHAIN_WORDS:
        matches |= (
            Q(chain__code__icontains=word)
            | Q(chain__name_fr__icontains=word)
            | Q(chain__name_en__icontains=word)
        )
    ordering = ("chain__code", "code")
    crafts = list(Craft.objects.filter(matches).select_related("chain").order_by(*ordering))
    if not crafts:
        crafts = list(Craft.objects.select_related("chain").order_by(*ordering))
    picked: list[Craft] = []
    per_chain: Counter[str] = Counter()
    for craft in crafts:
        chain = craft.chain.code
        if chain not in per_chain and len(per_chain) == chains:
            continue
        if per_chain[chain] < limit_per_chain:
            picked.append(craft)
            per_chain[chain] += 1
    return picked


def link_crafts(site: DemoSite) -> int:
    """Link product crafts to the photography and marketplace courses, in every language.

    Only courses with no crafts yet are touched, so what a trainer chose is kept.
    """
    crafts = product_crafts()
    if not crafts:
        site.notes.append("Crafts: no crafts are loaded; no course was linked to a craft.")
        return 0
    linked = 0
    for language in languages():
        for slug in COURSES_FOR_PRODUCT_CRAFTS:
            page = site.courses[language].get(slug)
            if page is None or page.crafts.exists():
                continue
            page.crafts = crafts
            publish(page)
            linked += 1
    return linked


# People ----------------------------------------------------------------------------------------


def ensure_user(person: DemoUser, **flags: Any) -> Any:
    user_model = get_user_model()
    user = user_model.objects.filter(username=person.username).first()
    if user is None:
        user = user_model(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{person.username}@example.com",
            **flags,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def ensure_staff(site: DemoSite) -> None:
    ensure_user(ADMIN, is_staff=True, is_superuser=True)
    trainer = ensure_user(TRAINER)
    group = None
    for language in languages():
        group = trainers.setup_trainers_group(site.catalogues[language])
    trainers.grant_trainer(trainer, group)


def complete_course(learner: Any, course: CoursePage) -> None:
    services.enrol(learner, course)
    for lesson in course.lessons():
        if lesson.is_quiz:
            services.submit_quiz(learner, lesson, correct_answers(lesson))
        else:
            services.mark_lesson_done(learner, lesson)


def correct_answers(lesson: LessonPage) -> dict[str, list[str]]:
    return {
        question.id: [
            option.id
            for option in question.value["options"].bound_blocks
            if option.value["correct"]
        ]
        for question in lesson.questions
    }


def wrong_answers(lesson: LessonPage) -> dict[str, list[str]]:
    """One wrong answer per question: every question is failed."""
    return {
        question.id: [
            next(
                option.id
                for option in question.value["options"].bound_blocks
                if not option.value["correct"]
            )
        ]
        for question in lesson.questions
    }


def ensure_learners(content: dict[str, Any], site: DemoSite) -> None:
    """Each learner at their stage; a learner who already has progress is left as they are."""
    ordered = [course["slug"] for course in in_prerequisite_order(content["courses"])]
    first, second = (course["slug"] for course in content["courses"][:2])
    french = site.courses[SOURCE_LANGUAGE]
    arabic = site.courses["ar"]

    def youssef(learner: Any) -> None:
        # He reads Arabic, so his lesson is the Arabic one; the progress is the same course's.
        course = arabic[first]
        services.enrol(learner, course)
        services.mark_lesson_done(learner, course.lessons().first())

    def khadija(learner: Any) -> None:
        complete_course(learner, french[first])
        course = french[second]
        services.enrol(learner, course)
        for lesson in course.lessons():
            if lesson.is_quiz:
                services.submit_quiz(learner, lesson, wrong_answers(lesson))
            else:
                services.mark_lesson_done(learner, lesson)

    def hassan(learner: Any) -> None:
        for slug in ordered:
            complete_course(learner, french[slug])

    stories: dict[str, Callable[[Any], None]] = {
        YOUSSEF.username: youssef,
        KHADIJA.username: khadija,
        HASSAN.username: hassan,
    }
    for person in LEARNERS:
        learner = ensure_user(person)
        story = stories.get(person.username)
        if story is None or Enrolment.objects.filter(learner=learner).exists():
            continue
        story(learner)


# The whole build -------------------------------------------------------------------------------


def narrated_openings(content: dict[str, Any]) -> list[tuple[str, str]]:
    """``(language, html)`` of each reading lesson's opening text: the words read aloud."""
    return [
        (language, lesson["body"][0]["value"][language])
        for course in content["courses"]
        for lesson in course["lessons"]
        if lesson["body"] and lesson["body"][0]["type"] == "text"
        for language in languages()
    ]


def build_demo_site(content: dict[str, Any]) -> DemoSite:
    # Speaking takes seconds: done before the transaction, which would hold the database's lock.
    return _build_demo_site(content, Voices.prepare(narrated_openings(content)))


@transaction.atomic
def _build_demo_site(content: dict[str, Any], voices: Voices) -> DemoSite:
    content = copy.deepcopy(content)
    site = DemoSite(voices=voices)
    if not can_speak():
        site.notes.append(
            "Narration: espeak-ng and opusenc are not installed; lessons have no Listen button."
        )
    site.locales = ensure_locales()
    site.homes = ensure_homes(site.locales)
    site.catalogues = ensure_catalogues(site.homes, site.locales)
    site.courses = ensure_courses(content, site)
    site.paths = ensure_learning_paths(content, site)
    load_crafts(site)
    link_crafts(site)
    ensure_staff(site)
    ensure_learners(content, site)
    from . import onboarding

    onboarding.ensure_sellers(site)
    return site


def summarise(site: DemoSite) -> Summary:
    locales = site.locales.items()
    return Summary(
        # depth 1 is Wagtail's invisible tree root, in no real language.
        pages_per_language={
            code: Page.objects.filter(depth__gt=1, locale=locale).count()
            for code, locale in locales
        },
        courses_per_language={
            code: CoursePage.objects.live().filter(locale=locale).count()
            for code, locale in locales
        },
        lessons_per_language={
            code: LessonPage.objects.live().filter(locale=locale).count()
            for code, locale in locales
        },
        learners=list(LEARNERS),
        sign_in_names=[person.username for person in (ADMIN, TRAINER, *LEARNERS)],
        password=DEMO_PASSWORD,
        notes=list(site.notes),
    )
