from django.utils import translation


def french(message: str, **values: object) -> str:
    """``message`` as a French learner reads it (the pages under /fr/ speak French)."""
    with translation.override("fr"):
        text = translation.gettext(message)
    return text % values if values else text


def french_plural(singular: str, plural: str, count: int, **values: object) -> str:
    with translation.override("fr"):
        text = translation.ngettext(singular, plural, count)
    return text % {"count": count, **values}
