"""The hosted payment page: where the buyer picks a test card or wallet and pays.

Plain HTML forms (no JavaScript), sized for a 360 px phone, in Arabic, French or English (the
``lang`` parameter, else Accept-Language). Paying ends the session and redirects (303) to the
session's ``return_url`` with ``session_id``; the test card that asks for 3-D Secure first shows
a page that takes the code. Cancelling goes to ``cancel_url`` and leaves the session open.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from .hosted_texts import LANGUAGE_NAMES, LANGUAGES, TEXTS, choose_language, money
from .responses import Response
from .sales import CHALLENGE, CHALLENGE_CODE, DISPUTED_CARD, TEST_METHODS, Session

if TYPE_CHECKING:
    from .call import Call

STYLE = """
*{box-sizing:border-box}body{margin:0;font:18px/1.5 system-ui,sans-serif;color:#1a1a1a;
background:#f6f3ee}main{max-width:30rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;
margin:.5rem 0}.note{background:#fff4d6;padding:.5rem .75rem;border-radius:.5rem;font-size:1rem}
.amount{font-size:1.6rem;font-weight:700}fieldset{border:0;padding:0;margin:1rem 0}
legend{font-weight:700;margin-bottom:.5rem}label.choice{display:flex;gap:.75rem;
align-items:center;min-height:3rem;padding:.5rem .75rem;margin:.5rem 0;background:#fff;
border:2px solid #b9b2a6;border-radius:.5rem}input[type=radio]{width:1.5rem;height:1.5rem;
flex:none}input[type=text]{width:100%;font-size:1.4rem;padding:.5rem;border:2px solid #5c554b;
border-radius:.5rem}button{width:100%;min-height:3rem;font-size:1.1rem;font-weight:700;
color:#fff;background:#0b5d3b;border:0;border-radius:.5rem;margin:1rem 0}
a{color:#0b4f8a;display:inline-block;min-height:1.5rem;padding:.25rem 0}.error{color:#a00000;
font-weight:700}nav{font-size:1rem}nav a{margin-inline-end:1rem}bdi{white-space:nowrap}
"""


def with_session(url: str, session_id: str) -> str:
    """``url`` with ``session_id`` added to its query."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    query["session_id"] = [session_id]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


def form_fields(call: Call) -> dict[str, str]:
    fields = parse_qs(call.raw_body.decode("utf-8", "replace"))
    return {name: values[0] for name, values in fields.items()}


def page(language: str, title: str, content: str, status: int = 200) -> Response:
    direction = "rtl" if language == "ar" else "ltr"
    html = (
        f'<!doctype html><html lang="{language}" dir="{direction}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><main>{content}</main></body></html>"
    )
    return Response(status, html, {"Cache-Control": "no-store"}, "text/html; charset=utf-8")


def redirect(location: str) -> Response:
    """303 See Other: the browser follows with a GET, so a reload never pays twice."""
    return Response(303, "", {"Location": location}, "text/plain; charset=utf-8")


def language_links(path: str, language: str) -> str:
    links = " ".join(
        f'<a href="{path}?lang={code}" lang="{code}" hreflang="{code}">{LANGUAGE_NAMES[code]}</a>'
        for code in LANGUAGES
        if code != language
    )
    return f'<nav aria-label="{TEXTS[language]["languages"]}">{links}</nav>'


def method_name(method: str, language: str) -> str:
    """ "Card 4242 4242 4242 4242" or "Mobile wallet", then what it does; numbers and Latin
    words kept left to right inside Arabic."""
    words = TEXTS[language]
    kind = TEST_METHODS[method][0]
    name = words[kind]
    if kind == "card":
        grouped = " ".join(method[start : start + 4] for start in range(0, 16, 4))
        name += f' <bdi dir="ltr">{grouped}</bdi>'
    outcome = words[method].format(secure='<bdi dir="ltr">3-D Secure</bdi>')
    return f"<strong>{name}</strong><br>{outcome}"


def summary(session: Session, merchant: str, language: str) -> str:
    words = TEXTS[language]
    return (
        f"<h1>{words['title'].format(merchant=f'<bdi>{escape(merchant)}</bdi>')}</h1>"
        f'<p class="note">{words["sandbox"]}</p>'
        f'<p>{words["amount"]}<br><span class="amount">'
        f"{money(session['amount_minor'], language)}</span></p>"
        f"<p>{words['for']}: {escape(session['description'])}</p>"
    )


def ended(session: Session, language: str) -> Response:
    words = TEXTS[language]
    outcome = words.get(session["status"], words["ended"])
    link = escape(with_session(session["return_url"], session["id"]))
    content = (
        f"<h1>{outcome}</h1><p>{words['ended']}</p>"
        f'<p class="amount">{money(session["amount_minor"], language)}</p>'
        f'<p><a href="{link}">{words["back"]}</a></p>'
    )
    return page(language, outcome, content)


def missing(language: str) -> Response:
    words = TEXTS[language]
    return page(language, words["missing"], f"<h1>{words['missing']}</h1>", 404)


def choices_page(call: Call, session: Session, language: str, problem: str = "") -> Response:
    words = TEXTS[language]
    path = f"/pay/{session['id']}"
    options = "".join(
        f'<label class="choice"><input type="radio" name="method" value="{method}" required>'
        f"<span>{method_name(method, language)}</span></label>"
        for method in TEST_METHODS
    )
    alert = f'<p class="error" role="alert" id="problem">{problem}</p>' if problem else ""
    cancel = escape(with_session(session["cancel_url"], session["id"]))
    content = (
        language_links(path, language)
        + summary(session, call.sandbox.merchant_name(session), language)
        + f'<form method="post" action="{path}"><input type="hidden" name="lang" '
        f'value="{language}"><fieldset><legend>{words["choose"]}</legend>{alert}{options}'
        f'</fieldset><button type="submit">'
        f"{words['pay'].format(amount=money(session['amount_minor'], language))}</button></form>"
        f'<p><a href="{cancel}">{words["cancel"]}</a></p>'
    )
    title = words["title"].format(merchant=call.sandbox.merchant_name(session))
    return page(language, title, content, 422 if problem else 200)


def challenge_page(session: Session, method: str, language: str, problem: str = "") -> Response:
    words = TEXTS[language]
    alert = f'<p class="error" role="alert">{problem}</p>' if problem else ""
    content = (
        f'<h1>{words["challenge_title"]}</h1><p class="note">{words["sandbox"]}</p>'
        f'<p class="amount">{money(session["amount_minor"], language)}</p>'
        f'<form method="post" action="/pay/{session["id"]}/3ds">{alert}'
        f'<input type="hidden" name="lang" value="{language}">'
        f'<input type="hidden" name="method" value="{escape(method)}">'
        f'<p id="code-help">{words["challenge_help"]}</p>'
        f'<label for="code">{words["code"]}</label>'
        '<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code"'
        ' aria-describedby="code-help" required>'
        f'<button type="submit">{words["confirm"]}</button></form>'
    )
    return page(language, words["challenge_title"], content)


def finish(call: Call, session_id: str, method: str, failure_code: str, language: str) -> Response:
    kind = TEST_METHODS[method][0]
    disputed = method == DISPUTED_CARD
    session = call.sandbox.complete_session(session_id, kind, failure_code, disputed)
    if session is None:  # ended meanwhile (a second press of the button): no second payment
        with call.sandbox.lock:
            current = call.sandbox.sessions[session_id]
        return ended(current, language)
    return redirect(with_session(session["return_url"], session_id))


def _open_session(call: Call, language: str) -> Session | Response:
    with call.sandbox.lock:
        session = call.sandbox.current_session(call.params["session_id"])
        if session is None:
            return missing(language)
        if session["status"] != "open":
            return ended(dict(session), language)  # type: ignore[arg-type]
        return dict(session)  # type: ignore[return-value]


def _language(call: Call, fields: dict[str, str] | None = None) -> str:
    asked = (fields or {}).get("lang") or call.query.get("lang")
    return choose_language(asked, call.headers.get("Accept-Language"))


def show_page(call: Call) -> Response:
    language = _language(call)
    session = _open_session(call, language)
    return session if isinstance(session, Response) else choices_page(call, session, language)


def pay(call: Call) -> Response:
    fields = form_fields(call)
    language = _language(call, fields)
    session = _open_session(call, language)
    if isinstance(session, Response):
        return session
    method = fields.get("method", "")
    if method not in TEST_METHODS:
        return choices_page(call, session, language, TEXTS[language]["pick_one"])
    _, outcome, failure_code = TEST_METHODS[method]
    if outcome == CHALLENGE:
        query = urlencode({"method": method, "lang": language})
        return redirect(f"/pay/{session['id']}/3ds?{query}")
    return finish(call, session["id"], method, failure_code, language)


def show_challenge(call: Call) -> Response:
    language = _language(call)
    session = _open_session(call, language)
    if isinstance(session, Response):
        return session
    return challenge_page(session, call.query.get("method", ""), language)


def answer_challenge(call: Call) -> Response:
    fields = form_fields(call)
    language = _language(call, fields)
    session = _open_session(call, language)
    if isinstance(session, Response):
        return session
    method = fields.get("method", "")
    if TEST_METHODS.get(method, ("", "", ""))[1] != CHALLENGE:
        return choices_page(call, session, language, TEXTS[language]["pick_one"])
    passed = fields.get("code", "").strip() == CHALLENGE_CODE
    failure = "" if passed else "authentication_failed"
    return finish(call, session["id"], method, failure, language)
