import re

import pytest
from django.urls import reverse
from wagtail.models import Locale

from lms.courses import services
from lms.courses.models import Enrolment, LessonPage
from tests.builders import lessons_of, make_catalogue, make_course, make_learner
from tests.i18n import french

pytestmark = pytest.mark.django_db


def translate(page, language_code, **fields):
    """Copy ``page`` into another language and publish it, as a trainer would."""
    locale = Locale.objects.get_or_create(language_code=language_code)[0]
    copy = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return copy.specific_class.objects.get(pk=copy.pk)


def text(response):
    return response.content.decode()


def test_the_catalogue_lists_published_courses_with_their_lesson_count(client):
    catalogue = make_catalogue()
    make_course(catalogue, title="Prendre de belles photos", lessons=3)
    response = client.get(catalogue.url)
    assert response.status_code == 200
    html = text(response)
    assert "Prendre de belles photos" in html
    assert "4 lessons" in html or "4 leçons" in html
    assert 'lang="fr"' in html and 'dir="ltr"' in html


def test_an_arabic_course_page_is_right_to_left_and_in_arabic(client):
    course = make_course(lessons=1)
    arabic = translate(course, "ar", title="تصوير المنتجات", summary="تعلم التصوير بالهاتف")
    response = client.get(arabic.url)
    html = text(response)
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "تصوير المنتجات" in html


def test_a_learner_sees_a_progress_bar_and_resumes_where_they_stopped(client):
    course = make_course(lessons=3, quiz=False)
    first, second, third = lessons_of(course)
    learner = make_learner()
    client.force_login(learner)
    client.post(reverse("lms:enrol", args=[course.pk]))
    client.post(reverse("lms:lesson_done", args=[first.pk]))
    client.get(third.url)  # opened the third lesson, then left

    html = text(client.get(course.url))
    assert '<progress max="100" value="33"' in html
    assert french("%(done)s of %(total)s lessons done", done=1, total=3) in html
    continue_link = re.search(r'<a class="button" href="([^"]+)">', html)
    assert continue_link and continue_link.group(1) == third.url


def test_progress_follows_the_learner_into_another_language(client):
    course = make_course(lessons=2, quiz=False)
    first = lessons_of(course)[0]
    learner = make_learner()
    services.enrol(learner, course)
    services.mark_lesson_done(learner, first)
    arabic = translate(course, "ar", title="الدفع بالهاتف")
    for lesson in lessons_of(course):
        translate(lesson, "ar")
    client.force_login(learner)
    assert '<progress max="100" value="50"' in text(client.get(arabic.url))


def test_lessons_are_for_enrolled_learners(client):
    course = make_course(lessons=1)
    lesson = lessons_of(course)[0]
    anonymous = client.get(lesson.url)
    assert anonymous.status_code == 302
    assert reverse("maalem_accounts:login") in anonymous["Location"]

    client.force_login(make_learner())
    not_enrolled = client.get(lesson.url)
    assert not_enrolled.status_code == 302
    assert not_enrolled["Location"] == course.url


def test_a_course_with_an_unmet_prerequisite_cannot_be_started(client):
    basics = make_course(title="Les bases du smartphone", lessons=1)
    payments = make_course(title="Accepter les paiements", lessons=1)
    payments.prerequisites.add(basics)
    payments.save_revision().publish()
    client.force_login(make_learner())

    html = text(client.get(payments.url))
    assert "Les bases du smartphone" in html
    assert reverse("lms:enrol", args=[payments.pk]) not in html
    refused = client.post(reverse("lms:enrol", args=[payments.pk]))
    assert refused.status_code == 409
    assert "Les bases du smartphone" in text(refused)
    assert not Enrolment.objects.exists()


def test_starting_a_course_opens_its_first_lesson_and_enrols_once(client):
    course = make_course(lessons=2)
    client.force_login(make_learner())
    first = client.post(reverse("lms:enrol", args=[course.pk]))
    again = client.post(reverse("lms:enrol", args=[course.pk]))
    assert first["Location"] == lessons_of(course)[0].url
    assert again.status_code == 302
    assert Enrolment.objects.count() == 1


def test_a_quiz_lesson_cannot_be_marked_done_without_passing(client):
    course = make_course(lessons=0)
    quiz = lessons_of(course)[0]
    learner = make_learner()
    services.enrol(learner, course)
    client.force_login(learner)
    response = client.post(reverse("lms:lesson_done", args=[quiz.pk]))
    assert response.status_code == 400
    assert french("Pass the quiz to finish this lesson.") in text(response)


def test_finishing_the_last_lesson_returns_to_the_completed_course(client):
    course = make_course(lessons=1, quiz=False)
    lesson = lessons_of(course)[0]
    learner = make_learner()
    services.enrol(learner, course)
    client.force_login(learner)
    response = client.post(reverse("lms:lesson_done", args=[lesson.pk]), follow=True)
    html = text(response)
    assert response.redirect_chain[-1][0] == course.url
    assert '<progress max="100" value="100"' in html
    assert french("You have completed this course.") in html


def test_my_learning_separates_courses_in_progress_from_completed_ones(client):
    done = make_course(title="Fixer ses prix", lessons=1, quiz=False)
    going = make_course(title="Photographier ses produits", lessons=2, quiz=False)
    learner = make_learner()
    services.enrol(learner, done)
    services.mark_lesson_done(learner, lessons_of(done)[0])
    services.enrol(learner, going)
    client.force_login(learner)
    html = text(client.get(reverse("lms:my_learning")))
    in_progress, completed = html.split('id="completed"')
    assert "Photographier ses produits" in in_progress and "Fixer ses prix" not in in_progress
    assert "Fixer ses prix" in completed


def test_my_learning_needs_a_signed_in_learner(client):
    response = client.get(reverse("lms:my_learning"))
    assert response.status_code == 302
    assert reverse("maalem_accounts:login") in response["Location"]


def test_an_unpublished_lesson_does_not_count_towards_completion():
    course = make_course(lessons=2, quiz=False)
    first, second = lessons_of(course)
    second.unpublish()
    learner = make_learner()
    services.enrol(learner, course)
    services.mark_lesson_done(learner, first)
    assert learner.course_completions.count() == 1
    assert LessonPage.objects.live().child_of(course).count() == 1


def test_other_apps_add_sections_to_my_learning_through_a_hook(client):
    from django.utils.html import format_html
    from wagtail import hooks

    from lms.courses.views import MY_LEARNING_SECTIONS_HOOK

    def certificates_section(request):
        return format_html("<section><h2>Certificates of {}</h2></section>", request.user.username)

    client.force_login(make_learner("amina"))
    with hooks.register_temporarily(MY_LEARNING_SECTIONS_HOOK, certificates_section):
        html = text(client.get(reverse("lms:my_learning")))
    assert "<h2>Certificates of amina</h2>" in html
