"""Values whose key names what they depend on are kept in the web process too
(lms.courses.local_cache): read without asking the shared cache, forgotten when the shared
cache forgets them, and never more than a bounded number."""

from unittest import mock

from django.core.cache import cache

from lms.courses import local_cache


def test_a_value_read_or_written_once_is_then_read_from_this_process():
    local_cache.set("lms:test:written", ["a"], 60)
    cache.set(local_cache.PREFIX + "lms:test:read", (9e12, "shared"), 60)
    assert local_cache.get("lms:test:read") == "shared"

    with mock.patch.object(cache, "get", side_effect=AssertionError("asked the shared cache")):
        assert local_cache.get("lms:test:written") == ["a"]
        assert local_cache.get("lms:test:read") == "shared"


def test_a_value_this_process_has_not_seen_comes_from_the_shared_cache_or_is_missing():
    local_cache.set("lms:test:other-process", "rendered elsewhere", 60)
    local_cache.clear()  # as another web process would start: nothing of its own yet
    assert local_cache.get("lms:test:other-process") == "rendered elsewhere"
    assert local_cache.get("lms:test:never-set") is None
    # A value in the shape of the previous release, under the bare key, is not taken.
    cache.set("lms:test:old-shape", "old", 60)
    assert local_cache.get("lms:test:old-shape") is None


def test_a_value_is_forgotten_when_the_shared_cache_would_forget_it():
    with mock.patch("lms.courses.local_cache.time.time", return_value=1_000.0):
        local_cache.set("lms:test:expiring", False, 30)
    cache.clear()  # only this process's copy is left
    with mock.patch("lms.courses.local_cache.time.time", return_value=1_029.0):
        assert local_cache.get("lms:test:expiring") is False
    with mock.patch("lms.courses.local_cache.time.time", return_value=1_030.0):
        assert local_cache.get("lms:test:expiring") is None
    # The shared cache's copy carries the same moment (a real cache drops it by itself).
    with mock.patch("lms.courses.local_cache.time.time", return_value=1_000.0):
        local_cache.set("lms:test:expiring", False, 30)
    local_cache.clear()
    with mock.patch("lms.courses.local_cache.time.time", return_value=1_030.0):
        assert local_cache.get("lms:test:expiring") is None


def test_the_least_recently_used_values_leave_first_beyond_the_bound(monkeypatch):
    monkeypatch.setattr(local_cache, "MAX_ENTRIES", 3)
    for name in "abc":
        local_cache.set(f"lms:test:{name}", name, 60)
    assert local_cache.get("lms:test:a") == "a"  # used again: "b" is now the oldest
    local_cache.set("lms:test:d", "d", 60)
    cache.clear()  # what this process still has is all that is left
    assert [local_cache.get(f"lms:test:{name}") for name in "abcd"] == ["a", None, "c", "d"]
