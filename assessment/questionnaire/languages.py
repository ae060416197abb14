"""The languages Samenspel speaks, and a translated field's text in each of them.

modeltranslation (assessment/translation.py) stores a translated field such as an
item's `text` once per language, as `text_nl` and `text_en`.
"""

from django.conf import settings
from django.db.models import Model
from modeltranslation.utils import build_localized_fieldname

LANGUAGE_CODES: list[str] = [code for code, _name in settings.LANGUAGES]


def texts(obj: Model, field: str) -> dict[str, str]:
    """`field` of `obj` in every language, by language code; "" where it has none."""
    return {
        code: getattr(obj, build_localized_fieldname(field, code)) or "" for code in LANGUAGE_CODES
    }
