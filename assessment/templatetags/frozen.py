"""`{% frozen "name" key ... %}…{% endfrozen %}`: a block rendered once per process, reused.

For HTML that cannot change while the process runs: the frame's static parts, and the
statements of a published version (immutable, see DraftOnlyModel) as a page shows them
before anything is answered. Respondent pages render these on every request otherwise; they
were most of a page's time (bench/journey/README.md).

Kept in this process, not in Django's cache: a new deployment (new templates, new static
file names) starts new processes, so nothing rendered by an older one is ever served.
The name (unique per block) and the keys say everything the block's HTML depends on; the
language is always added. A key that is None or "" renders the block afresh,
and so does DEBUG, where templates change under a running server.
"""

from django import template
from django.conf import settings
from django.template.base import FilterExpression, Parser, Token
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Bounded: a few frames and one entry per page of each published version and language.
_LIMIT = 2000
_kept: dict[tuple, SafeString] = {}


class FrozenNode(template.Node):
    def __init__(self, nodelist: template.NodeList, keys: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.keys = keys

    def render(self, context: template.Context) -> str:
        keys = tuple(key.resolve(context) for key in self.keys)
        if settings.DEBUG or any(key is None or key == "" for key in keys):
            return self.nodelist.render(context)
        key = (*keys, translation.get_language())
        html = _kept.get(key)
        if html is None:
            if len(_kept) >= _LIMIT:
                _kept.clear()
            html = _kept[key] = mark_safe(self.nodelist.render(context))
        return html


@register.tag
def frozen(parser: Parser, token: Token) -> FrozenNode:
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endfrozen",))
    parser.delete_first_token()
    return FrozenNode(nodelist, keys)
