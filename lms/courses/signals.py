from django.dispatch import Signal

# Emitted when a learner completes a course: once per learner and course, after the transaction
# that recorded the completion has committed. Sent by lms.courses.completion.
# Arguments:
#   completion: the CourseCompletion row
#   learner: the user who completed the course
#   course_key: the translation_key shared by every language version of the course
course_completed = Signal()
