from django.urls import path

from . import views

app_name = "lms"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("lessons/<int:lesson_id>/done/", views.lesson_done, name="lesson_done"),
    path("lessons/<int:lesson_id>/quiz/", views.submit_quiz, name="submit_quiz"),
]
