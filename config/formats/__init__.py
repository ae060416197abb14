"""Our date formats, on top of Django's (settings.FORMAT_MODULE_PATH): one way to write a day
on every page, "24 nov. 2026" in Dutch and "Nov. 24, 2026" in English, through plain |date.

Django's Dutch month abbreviations have no full stop ("nov"); Dutch writes "nov.". The same
words as Django's (context "abbrev. month") are declared here, so that makemessages keeps them
in our catalogue, which takes precedence over Django's.
"""

from django.utils.translation import pgettext_lazy

MONTHS_AP = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)
