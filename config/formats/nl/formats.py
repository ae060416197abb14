# "24 nov. 2026": N is the abbreviated month, with its full stop (see config/formats).
DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y H:i"
