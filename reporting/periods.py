import datetime
from dataclasses import dataclass

from django.utils.formats import date_format


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def __str__(self):
        return f"{date_format(self.start, 'd.m.Y')}–{date_format(self.end, 'd.m.Y')}"

    def year_earlier(self):
        """The same dates a year before (29 February becomes the 28th): what a report compares with."""
        return Period(a_year_before(self.start), a_year_before(self.end))

    def preceding(self):
        """The period of the same length just before this one."""
        length = self.end - self.start
        end = self.start - datetime.timedelta(days=1)
        return Period(end - length, end)

    @classmethod
    def year(cls, year):
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def a_year_before(day):
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def months_back(today, count):
    """The last `count` calendar months up to and including today's, oldest first, as Periods."""
    months = []
    year, month = today.year, today.month
    for _i in range(count):
        start = datetime.date(year, month, 1)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        months.append(Period(start, following - datetime.timedelta(days=1)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]
