"""``{% load maalem_bidi %}``: ``{{ text|isolate_ltr }}`` keeps numbers and codes readable in
right-to-left pages (see :mod:`maalem.core.bidi`)."""

from django import template

from ..bidi import isolate_ltr

register = template.Library()
register.filter("isolate_ltr", isolate_ltr)
