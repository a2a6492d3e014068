"""The models of lms.courses: the pages trainers write, and the records of what learners do."""

from .learning import CourseCompletion, Enrolment, LessonProgress, QuizAttempt, SyncEvent
from .pages import (
    CourseIndexPage,
    CoursePage,
    LearningPath,
    LearningPathCourse,
    LessonPage,
    Level,
    default_pass_mark,
    default_quiz_attempts,
)
from .rollups import CourseRollup, QuestionRollup

__all__ = [
    "CourseCompletion",
    "CourseIndexPage",
    "CourseRollup",
    "CoursePage",
    "Enrolment",
    "LearningPath",
    "LearningPathCourse",
    "LessonPage",
    "LessonProgress",
    "Level",
    "QuestionRollup",
    "QuizAttempt",
    "SyncEvent",
    "default_pass_mark",
    "default_quiz_attempts",
]
