from django.urls import path

from . import api, views

app_name = "lms"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    # Trainers, team members and demo accounts sign in with a password. Learners sign in where
    # LMS_SIGN_IN_URL says (by phone with lms.accounts, included by the host).
    path("sign-in/password/", views.SignInView.as_view(), name="password_login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("lessons/<int:lesson_id>/done/", views.lesson_done, name="lesson_done"),
    path("lessons/<int:lesson_id>/quiz/", views.submit_quiz, name="submit_quiz"),
    path("offline/", api.offline_page, name="offline"),
]
