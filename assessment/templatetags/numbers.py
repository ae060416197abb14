import json
from datetime import timedelta

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from assessment.results import scoring

register = template.Library()


@register.filter
def one_decimal(value) -> str:
    """A number with one decimal in the current language ("3,4"); "–" for none.

    Django's floatformat goes through Decimal; result pages show hundreds of numbers.
    """
    if value is None or value == "":
        return "–"
    return f"{float(value):.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))


@register.filter
def percent(value) -> str:
    """A share (0..1) as a whole percentage ("40%"); "–" for none (withheld by the gate)."""
    if value is None or value == "":
        return "–"
    return f"{round(100 * float(value))}%"


_JSON_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))


@register.filter
def figure_script(value, element_id: str):
    """Like Django's json_script, for the large figure JSON of a results page.

    json_script escapes with str.translate, which costs milliseconds per figure; three
    str.replace calls make the same safe output (no "</script>" can close the element).
    """
    text = json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"))
    for character, escape in _JSON_ESCAPES:
        text = text.replace(character, escape)
    return format_html(
        '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text)
    )


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes of a duration, rounded up: 'wait 15 minutes', never 'wait 0'."""
    if not value:
        return 0
    return -(-int(value.total_seconds()) // 60)


@register.inclusion_tag("results/direction.html")
def change_rule() -> dict:
    """The sentence that explains up, down, no clear difference and too few answers, with
    the numbers scoring.change uses: the results page and the coordinator page say it alike."""
    return {
        "explain": True,
        "min_change": one_decimal(scoring.MIN_CHANGE),
        "min_n": scoring.MIN_CHANGE_N,
    }
