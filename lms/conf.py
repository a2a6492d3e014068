"""Settings of the lms apps, read at call time so that ``override_settings`` works.

A host site sets any of them in its Django settings; each has a default that suits most sites.
"""

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


app_settings = LMSSettings("LMS_")
