"""The learner mix that bench/load.py drives with Locust: ``locust -f bench/learners.py``.

Each simulated learner is one of the bench's signed-in learners (its session cookie and CSRF
cookie come from the JSON file named by MAALEM_LOAD_PLAN). It reads the catalogue, a course and
its lessons, sends the lesson-done events its phone would queue, and opens My learning, with a
pause between pages as a reader makes.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from datetime import UTC, datetime

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["MAALEM_LOAD_PLAN"], encoding="utf-8").read())
LEARNERS = itertools.cycle(PLAN["learners"])
THINK = PLAN["think"]


class Learner(HttpUser):
    wait_time = between(THINK[0], THINK[1])

    def on_start(self) -> None:
        learner = next(LEARNERS)
        self.csrf = learner["csrf"]
        self.client.cookies.set("sessionid", learner["session"])
        self.client.cookies.set("csrftoken", self.csrf)
        self.client.cookies.set("django_language", PLAN["language"])
        self.course = random.choice(PLAN["courses"])

    @task(3)
    def catalogue(self) -> None:
        self.client.get(PLAN["catalogue"], name="catalogue")

    @task(2)
    def course_page(self) -> None:
        self.client.get(self.course["url"], name="course")

    @task(4)
    def lesson_page(self) -> None:
        lesson = random.choice(self.course["lessons"])
        self.client.get(lesson["url"], name="lesson")

    @task(2)
    def sync(self) -> None:
        lesson = random.choice(self.course["lessons"])
        event = {
            "id": str(uuid.uuid4()),
            "type": "lesson_done",
            "lesson_id": lesson["id"],
            "occurred_at": datetime.now(UTC).isoformat(),
        }
        with self.client.post(
            PLAN["sync"],
            json={"events": [event]},
            headers={"X-CSRFToken": self.csrf, "Referer": self.host + "/"},
            name="sync",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "results" not in response.text:
                response.failure(f"sync answered {response.status_code}")

    @task(2)
    def my_learning(self) -> None:
        self.client.get(PLAN["my_learning"], name="my learning")
