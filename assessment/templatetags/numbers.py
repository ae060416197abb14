from django import template
from django.utils.formats import get_format

register = template.Library()


@register.filter
def one_decimal(value) -> str:
    """A number with one decimal in the current language ("3,4"); "–" for none.

    Django's floatformat goes through Decimal; result pages show hundreds of numbers.
    """
    if value is None or value == "":
        return "–"
    return f"{float(value):.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))
