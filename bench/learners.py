"""The learner mix that bench/load.py drives with Locust: ``locust -f bench/learners.py``.

Each simulated learner is one of the bench's signed-in learners (its session cookie and CSRF
cookie come from the JSON file named by MAALEM_LOAD_PLAN). It reads the catalogue, a course and
its lessons, sends the lesson-done events its phone would queue, and opens My learning, with a
pause between pages as a reader makes.

It is a FastHttpUser (geventhttpclient): Locust runs on the same machine as the site, and this
client takes several times less CPU per request than HttpUser's requests, leaving it to the site.
Like a browser it keeps its connection open between pages and accepts gzip.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from datetime import UTC, datetime
from http.cookiejar import Cookie

from locust import FastHttpUser, between, task

PLAN = json.loads(open(os.environ["MAALEM_LOAD_PLAN"], encoding="utf-8").read())
LEARNERS = itertools.cycle(PLAN["learners"])
THINK = PLAN["think"]


def cookie(name: str, value: str) -> Cookie:
    """A cookie for every path of the site under test, as the site would have set it."""
    return Cookie(
        0, name, value, None, False, "", False, False, "/", True, False, None, False, None, None, {}
    )


class Learner(FastHttpUser):
    wait_time = between(THINK[0], THINK[1])

    def on_start(self) -> None:
        learner = next(LEARNERS)
        self.csrf = learner["csrf"]
        for name, value in [
            ("sessionid", learner["session"]),
            ("csrftoken", self.csrf),
            ("django_language", PLAN["language"]),
        ]:
            self.client.cookiejar.set_cookie(cookie(name, value))
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
