# "Nov. 24, 2026": Django's English default, named here so both languages are in one place.
DATE_FORMAT = "N j, Y"
DATETIME_FORMAT = "N j, Y, H:i"
