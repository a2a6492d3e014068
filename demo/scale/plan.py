"""How many of everything a dataset of ``learners`` holds: the national figures, scaled.

At 420,000 learners: 600,000 enrolments, 2.0 M lessons done, 524,000 quiz attempts, 250,000
completions with their certificates, 50,000 onboarding cases and 20,000 live seller pages.
"""

from __future__ import annotations

from dataclasses import dataclass

NATIONAL_LEARNERS = 420_000
PER_NATIONAL = {
    "enrolments": 600_000,
    "lessons_done": 2_000_000,
    "quiz_attempts": 524_000,
    "completions": 250_000,
    "cases": 50_000,
    "seller_pages": 20_000,
}


@dataclass(frozen=True)
class Plan:
    learners: int

    def target(self, name: str) -> int:
        """The national figure for ``name``, in proportion to this plan's learners."""
        return round(PER_NATIONAL[name] * self.learners / NATIONAL_LEARNERS)

    # Which learner gets what is decided by the learner's number alone, so every chunk of
    # learners can be built on its own and the totals still come out in proportion.

    def second_course(self, number: int) -> bool:
        return number < self.target("enrolments") - self.learners

    def completes_first_course(self, number: int) -> bool:
        return number < self.target("completions")

    def has_case(self, number: int) -> bool:
        # Only learners who completed a course may apply to sell: the first ones.
        return number < self.target("cases")

    def has_seller_page(self, number: int) -> bool:
        return number < self.target("seller_pages")
