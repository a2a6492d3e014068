"""Each process keeps the Wagtail site it found for a host name (lms.courses.middleware): a site
added, changed or deleted in the admin routes the very next request."""

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from wagtail.models import Page, Site

from lms.courses.middleware import KnownSiteMiddleware
from lms.courses.models import CourseIndexPage
from tests.builders import default_site, locale, make_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shared_cache(settings):
    """The middleware works only on a cache every process shares; this process's own cache
    is that, for a test client and the code it calls in the same process."""
    settings.MAALEM_SHARED_CACHE = True


HOST = "autre.example"


def title_served(client, url):
    response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200
    return response.context["page"].title


def test_a_site_added_changed_or_deleted_routes_the_next_request(client, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver", HOST]
    ours = make_catalogue()
    ours.title = "Catalogue du site"
    ours.save_revision().publish()
    tree_root = Page.get_first_root_node()
    other_home = tree_root.add_child(
        instance=Page(title="Autre", slug="autre", locale=locale("fr"))
    )
    other_home.add_child(instance=CourseIndexPage(title="Catalogue autre", slug=ours.slug))
    url = ours.url
    # No site for this host name: the default site answers, and this process remembers it.
    assert title_served(client, url) == "Catalogue du site"
    assert title_served(client, url) == "Catalogue du site"

    site = Site.objects.create(hostname=HOST, port=80, root_page=other_home)
    assert title_served(client, url) == "Catalogue autre"

    site.root_page = default_site().root_page
    site.save()
    assert title_served(client, url) == "Catalogue du site"

    site.root_page = other_home
    site.save()
    assert title_served(client, url) == "Catalogue autre"
    site.delete()
    assert title_served(client, url) == "Catalogue du site"


def test_a_host_name_that_is_not_allowed_is_still_refused(client, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    catalogue = make_catalogue()
    assert client.get(catalogue.url, HTTP_HOST="evil.example").status_code == 400


def test_without_a_shared_cache_the_site_is_looked_up_on_every_request(settings):
    # A page a worker publishes bumps the generation in the worker's own cache only: a site
    # kept here would still count its root page's children as they were, and answer 404.
    settings.MAALEM_SHARED_CACHE = False
    with pytest.raises(MiddlewareNotUsed):
        KnownSiteMiddleware(lambda request: HttpResponse())
    settings.MAALEM_SHARED_CACHE = True
    assert KnownSiteMiddleware(lambda request: HttpResponse()) is not None
