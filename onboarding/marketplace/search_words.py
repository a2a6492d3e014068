"""Words as the product search compares them: the same spelling at index time and query time.

A buyer types "زربية" for a product named "الزربية", "ابريق" for "إبريق", "brode" for "brodé".
No stock PostgreSQL text search configuration knows Arabic, and SQLite's tokenisers know none of
it either, so both sides are brought to one spelling before any backend sees them: the product
keeps its names and descriptions in that spelling in its own columns (``search_title``,
``search_description``), which are what Wagtail search indexes, and the query goes through the
same function.

What changes, in this order (each step is one cheap ``str`` operation, no dictionary):

- Arabic diacritics (harakat, shadda, sukun, dagger alef) and the tatweel are dropped;
- alef with hamza or madda, and wasla, become a bare alef; hamza on waw and on yaa become the
  bare letter; alef maqsura becomes yaa; taa marbuta becomes haa;
- the article "ال" at the start of a word is dropped, alone or with a one-letter conjunction or
  preposition written before it (و، ف، ب، ك: "والزربية"), and so is "لل" ("للبيع"), only when two
  letters or more are left, so that short words stay whole;
- Latin letters lose their accents (NFKD, combining marks removed) and everything is lower case.

The result may read oddly ("زربيه"), and two words may meet (a word that really begins with
"ال" loses it too): it is never shown, only compared, and both sides lose the same letters.
"""

from __future__ import annotations

import re
import unicodedata

#: What NFKD leaves of the Arabic marks that are not combining characters: the tatweel, and the
#: Quranic marks some keyboards type.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
#: The letters NFKD leaves as they are (the hamza and madda forms decompose to their carrier).
_LETTERS = str.maketrans(
    {
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0649": "\u064a",  # ى -> ي
        "\u0629": "\u0647",  # ة -> ه
    }
)
#: The article at the start of a word, alone or after a one-letter conjunction or preposition
#: (و، ف، ب، ك), or "لل"; when two Arabic letters or more follow.
_ARTICLE = re.compile(r"(?<!\w)(?:[وفبك]?ال|[وف]?لل)(?=[\u0621-\u064a]{2})")


def search_words(text: str) -> str:
    """``text`` in the spelling the search compares (see the module's docstring)."""
    if not text:
        return ""
    # NFKD splits أ إ آ ؤ ئ into their carrier and a combining hamza or madda, and é into e and
    # an accent: dropping the combining characters unifies them, and drops the harakat too.
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = _MARKS.sub("", plain).translate(_LETTERS)
    return _ARTICLE.sub("", plain).lower()
