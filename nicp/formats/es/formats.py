"""Spanish date formats for every page: month names in lower case ("3 de noviembre de 2026").

Django's "M" (abbreviated month) capitalises ("Nov"); these formats use "F" (full name) and "b" (short,
lower case) so templates write `|date` or `|date:"SHORT_DATE_FORMAT"` instead of hard-coded patterns.
"""

DATE_FORMAT = r"j \d\e F \d\e Y"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
MONTH_DAY_FORMAT = r"j \d\e F"
YEAR_MONTH_FORMAT = r"F \d\e Y"
SHORT_DATE_FORMAT = r"j b Y"
SHORT_DATETIME_FORMAT = r"j b Y, H:i"
