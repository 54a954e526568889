"""The parameters of the report pages, validated: a period (?od=, ?do=), what it is compared
with (?porownanie=) and a year (?rok=)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# The years a report may cover: from the first year of the Social Employment Act's clubs to a far
# horizon. Beyond them there is nothing to count, and dates near the calendar's ends overflow.
FIRST_YEAR, LAST_YEAR = 2004, 2100
FIRST_DAY, LAST_DAY = datetime.date(FIRST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31)


def within_reports(day):
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            _("Enter a date from %(first)s to %(last)s.")
            % {"first": date_format(FIRST_DAY, "d.m.Y"), "last": date_format(LAST_DAY, "d.m.Y")}
        )


def year_within_reports(year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(_("Enter a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR})


class PeriodForm(forms.Form):
    od = forms.DateField(label=_("From"), required=False, validators=[within_reports])
    do = forms.DateField(label=_("To"), required=False, validators=[within_reports])


class ComparisonForm(forms.Form):
    """What a region report compares its period with: the same dates a year earlier, unless asked otherwise."""

    YEAR_EARLIER, PRECEDING = "rok", "poprzedni"
    porownanie = forms.ChoiceField(
        label=_("Compare with"),
        required=False,
        choices=[
            (YEAR_EARLIER, _("the same dates a year earlier")),
            (PRECEDING, _("the period of the same length just before")),
        ],
    )

    def compared(self, period):
        if self.is_valid() and self.cleaned_data["porownanie"] == self.PRECEDING:
            return period.preceding()
        return period.year_earlier()


class YearForm(forms.Form):
    rok = forms.IntegerField(label=_("Year"), required=False, validators=[year_within_reports])


def errors_of(form):
    """A bound form's errors as lines of the page: "field: message"."""
    return [f"{form[name].label}: {message}" for name, messages in form.errors.items() for message in messages]
