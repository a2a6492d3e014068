"""The seller's statement as an A4 PDF, in her language (Arabic right to left, or French).

Laid out by WeasyPrint with the certificates' Amiri font, as the QR poster is
(:mod:`onboarding.poster`), so the Arabic is shaped the same on every machine. The bytes are
made in memory and sent; no file is kept.
"""

from __future__ import annotations

import threading

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from lms.certificates.rendering import font_face_css

from .money_statement import KIND_NAMES, Statement, totals_rows
from .prices import price_text

# WeasyPrint's font handling is not meant for two renders at once in one process.
_render_lock = threading.Lock()


def statement_html(statement: Statement) -> str:
    language = translation.get_language() or "fr"
    rows = [
        {"line": line, "kind": KIND_NAMES[line.kind], "amount": price_text(line.amount)}
        for line in statement.lines
    ]
    context = {
        "fonts": font_face_css(),
        "language": language,
        "direction": "rtl" if translation.get_language_bidi() else "ltr",
        "statement": statement,
        "rows": rows,
        "totals": [(label, price_text(amount)) for label, amount in totals_rows(statement.totals)],
    }
    return render_to_string("marketplace/seller/statement_pdf.html", context)


def statement_pdf(statement: Statement) -> bytes:
    html = statement_html(statement)
    with _render_lock:
        pdf: bytes = HTML(string=html).write_pdf(pdf_tags=True)
    return pdf
