"""Words the admin shows that Django 5.2 and django-axes ship no Dutch for.

Never imported: gettext_noop only marks them, so that makemessages puts them in our catalogue,
which Django reads before the catalogues of Django and its apps. Keep the msgids exactly as
those packages spell them.
"""

from django.utils.translation import gettext_noop

BORROWED = [
    # django/contrib/admin/templates/admin/app_list.html: the model table's hidden headers.
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # axes/models.py: the login guard's tables on the admin index.
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
]
