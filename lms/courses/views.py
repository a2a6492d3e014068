"""Learner actions that are not pages: enrol, finish a lesson, submit a quiz, "My learning".

Each action is a plain HTML form POST, so everything works without JavaScript. The lesson page
sends here the learners it refuses. The page's script sends "lesson done" and quiz forms with an
``event_id``, the id the phone queues the tap under if the answer is lost; such a tap is recorded
as a synced event, so that the queue's replay is not applied a second time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail import hooks

from lms.conf import app_settings

from . import progress, services, sync
from .models import CoursePage, LessonPage, SyncEvent

#: Wagtail hook name. Each registered function takes the request and returns HTML (a SafeString)
#: to show as a section of the learner's "My learning" page, or None to show nothing.
MY_LEARNING_SECTIONS_HOOK = "lms_my_learning_sections"

#: Where learners sign in (``LMS_SIGN_IN_URL``), read on each request rather than at import.
sign_in_page = lazy(lambda: app_settings.SIGN_IN_URL, str)()


def learner_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``login_required`` that sends visitors to ``LMS_SIGN_IN_URL``.

    The host's ``LOGIN_URL`` may name its own sign-in page; learners still get theirs.
    """
    return login_required(view, login_url=sign_in_page)


def sign_in_first(request: HttpRequest) -> HttpResponse:
    return redirect_to_login(request.get_full_path(), login_url=sign_in_page)


def start_the_course_first(request: HttpRequest, course: CoursePage) -> HttpResponse:
    messages.info(request, _("Start the course to open its lessons."))
    return redirect(course.get_url(request))


def refuse(
    request: HttpRequest, error: services.LearningError, back: str, status: int = 400
) -> HttpResponse:
    return render(
        request, "courses/refused.html", {"message": error.message, "back_url": back}, status=status
    )


def _live_page(model: type[Any], page_id: int) -> Any:
    return get_object_or_404(model.objects.live(), pk=page_id)


@learner_required
@require_POST
def enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course: CoursePage = _live_page(CoursePage, course_id)
    try:
        services.enrol(request.user, course)
    except services.PrerequisitesMissing as error:
        return refuse(request, error, course.get_url(request), status=409)
    state = progress.course_progress(course, request.user, request=request)
    target = state.resume_lesson
    return redirect(target.url if target else course.get_url(request))


@learner_required
@require_POST
def lesson_done(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson: LessonPage = _live_page(LessonPage, lesson_id)
    course = lesson.get_course()
    try:
        if _tap(request, lesson, SyncEvent.Type.LESSON_DONE) is None:
            services.mark_lesson_done(request.user, lesson)
    except services.LearningError as error:
        return refuse(request, error, lesson.get_url(request))
    state = progress.course_progress(course, request.user, request=request)
    if state.completed:
        messages.success(request, _("Well done! You have completed this course."))
        return _go_on(request, course.get_url(request))
    following = next((s for s in state.lessons if s.number > _number_of(lesson, state)), None)
    return _go_on(request, following.url if following is not None else course.get_url(request))


def _go_on(request: HttpRequest, url: str) -> HttpResponse:
    """The page after a tap: a redirect for a form posted by the browser, or the page's address
    for the lesson script. The script opens it itself rather than following a redirect, which
    would read, and so use up, the messages the tap left for that page."""
    if request.accepts("application/json") and not request.accepts("text/html"):
        return JsonResponse({"next": url})
    return redirect(url)


def _tap(
    request: HttpRequest, lesson: LessonPage, event_type: str, answers: Any = None
) -> dict[str, Any] | None:
    """Record the tap once if the script named it, as the sync would; None if it is unnamed."""
    event = sync.tapped(request.POST.get("event_id", ""), event_type, lesson.pk, answers)
    if event is None:
        return None
    result = sync.record(request.user, event, store_refusals=False)
    if (result.get("type"), result.get("lesson_id")) != (event_type, lesson.pk):
        return None  # an id another tap used does not stand for this one
    if result["status"] == sync.REJECTED:  # the queue sent it first, and the rules refused it
        raise services.LearningError(result["message"])
    return result


def _number_of(lesson: LessonPage, state: progress.CourseProgress) -> int:
    return next((s.number for s in state.lessons if s.id == lesson.pk), 0)


@learner_required
@require_POST
def submit_quiz(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson: LessonPage = _live_page(LessonPage, lesson_id)
    answers = services.parse_answers(request.POST)
    try:
        tap = _tap(request, lesson, SyncEvent.Type.QUIZ_SUBMITTED, answers)
        number = (
            tap["attempt"] if tap else services.submit_quiz(request.user, lesson, answers).number
        )
    except services.QuizIncomplete as error:
        context = lesson.get_context(request)
        context.update(
            {"quiz_error": error.message, "unanswered": error.unanswered, "chosen": answers}
        )
        return TemplateResponse(request, lesson.get_template(request), context, status=400)
    except services.LearningError as error:
        return refuse(request, error, lesson.get_url(request))
    return _go_on(request, f"{lesson.get_url(request)}?attempt={number}#result")


@learner_required
@require_GET
def my_learning(request: HttpRequest) -> HttpResponse:
    context = progress.my_learning(request.user)
    # Other apps add their own sections (certificates, onboarding) without this app knowing them.
    context["sections"] = [
        section for hook in hooks.get_hooks(MY_LEARNING_SECTIONS_HOOK) if (section := hook(request))
    ]
    return render(request, "courses/my_learning.html", context)


class SignInView(auth_views.LoginView):
    """Sign-in with a password, for trainers, team members and demo accounts."""

    template_name = "courses/sign_in.html"
    redirect_authenticated_user = True


sign_out = auth_views.LogoutView.as_view()
