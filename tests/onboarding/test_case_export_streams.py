"""The cases export streams its rows as the database gives them: the CSV a row at a time, the
XLSX through a file, never the whole list loaded first; formula-like cells stay text."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.db.models.signals import post_init
from django.http import FileResponse, StreamingHttpResponse

from onboarding.models import ApplicantProfile, OnboardingCase

from .onboarding_builders import make_case, make_craft, operator

# The streaming itself, as any report not written in the background answers its export (and as
# the worker writes the cases' file).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("pii_keys", "fast_passwords", "synchronous_exports"),
]

CASES = "/admin/onboarding/cases/"
N = 12


@pytest.fixture
def cases():
    craft = make_craft()
    made = []
    for i in range(N):
        case = make_case()
        shop = '=HYPERLINK("http://x")' if i == 0 else f"Shop {case.pk}"
        ApplicantProfile.objects.create(case=case, shop_name=shop, region="Fès-Meknès", craft=craft)
        made.append(case)
    return made


class Loaded:
    """Counts the cases Django builds from database rows."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, sender, instance, **kwargs) -> None:
        self.count += 1


def test_the_csv_export_sends_each_case_as_it_is_read(client, cases):
    client.force_login(operator("view_onboardingcase"))
    loaded = Loaded()
    post_init.connect(loaded, sender=OnboardingCase)
    try:
        response = client.get(CASES, {"export": "csv"})
        assert isinstance(response, StreamingHttpResponse)
        stream = iter(response.streaming_content)
        header, first = next(stream), next(stream)
        loaded_for_first_row = loaded.count
        body = b"".join([header, first, *stream]).decode()
    finally:
        post_init.disconnect(loaded, sender=OnboardingCase)

    # The old export built every case before its first byte; now only the first one.
    assert loaded_for_first_row == 1
    assert loaded.count == N
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == N + 1
    by_id = {row[0]: row for row in rows[1:]}
    assert set(by_id) == {str(case.pk) for case in cases}
    assert by_id[str(cases[0].pk)][6] == '\'=HYPERLINK("http://x")'
    assert by_id[str(cases[1].pk)][6] == f"Shop {cases[1].pk}"


def test_the_xlsx_export_is_written_to_a_file_and_sent_from_it(client, cases):
    client.force_login(operator("view_onboardingcase"))

    response = client.get(CASES, {"export": "xlsx"})

    assert isinstance(response, FileResponse)
    assert not isinstance(response.file_to_stream, io.BytesIO)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == N + 1
    shops = {str(row[0]): row[6] for row in rows[1:]}
    assert shops[str(cases[0].pk)] == '=HYPERLINK("http://x")'  # text, not a formula
    assert sheet.cell(row=2, column=7).data_type == "s"
    assert shops[str(cases[5].pk)] == f"Shop {cases[5].pk}"
