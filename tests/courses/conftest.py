"""A catalogue and its trainer, for the tests of what trainers may see and do."""

import pytest

from lms.courses.trainers import grant_trainer, setup_trainers_group
from tests.builders import make_catalogue, make_learner


@pytest.fixture
def catalogue():
    return make_catalogue()


@pytest.fixture
def trainer(catalogue):
    """A member of the trainers group set up for ``catalogue``."""
    setup_trainers_group(catalogue)
    user = make_learner("trainer")
    grant_trainer(user)
    return user
