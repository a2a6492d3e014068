"""Settings of the lms apps, read at call time so that ``override_settings`` works.

A host site sets any of them in its Django settings; each has a default that suits most sites.
"""

from django.conf import settings

from maalem.core.conf import AppSettings


class LMSSettings(AppSettings):
    @property
    def DEFAULT_PASS_MARK(self) -> int:
        """Percentage a new course asks for to pass its quizzes."""
        return int(self.setting("DEFAULT_PASS_MARK", 70))

    @property
    def DEFAULT_QUIZ_ATTEMPTS(self) -> int:
        """How many times a new course lets a learner submit each quiz."""
        return int(self.setting("DEFAULT_QUIZ_ATTEMPTS", 3))

    @property
    def TRAINERS_GROUP(self) -> str:
        """Name of the Wagtail group whose members write courses."""
        return str(self.setting("TRAINERS_GROUP", "Trainers"))

    @property
    def SIGN_IN_URL(self) -> str:
        """Where learners sign in, as a URL or a URL name; the host's ``LOGIN_URL`` by default."""
        return str(self.setting("SIGN_IN_URL", settings.LOGIN_URL))

    @property
    def BASE_TEMPLATE(self) -> str:
        """The template every learner page extends; docs/templates.md lists its blocks."""
        return str(self.setting("BASE_TEMPLATE", "lms/base.html"))


app_settings = LMSSettings("LMS_")
