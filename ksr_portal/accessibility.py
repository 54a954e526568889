"""The accessibility statement, in the structure the Act of 4 April 2019 and the ministry's template
ask for (with their `a11y-*` element ids): its facts come from settings, its list of known
non-conformities from here, kept until each is fixed."""

import datetime

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

PUBLISHED = datetime.date(2026, 11, 24)
UPDATED = datetime.date(2026, 12, 3)
PREPARED = datetime.date(2026, 11, 24)
REVIEWED = datetime.date(2026, 12, 3)

# What does not yet meet WCAG 2.1 AA, found by the crawl of every page with axe-core and by hand.
NONCONFORMITIES = [
    _("Documents added by users (minutes of meetings, cooperation agreements) may not be accessible."),
    _("Some lists in the workbench show many columns; on a narrow screen they scroll sideways within the list."),
]
# What the law excludes from the obligation (art. 3).
EXCLUSIONS = [
    _("Files published before 23 September 2018 and files of the networks' own members, not made by the operator."),
]


def statement(request):
    return render(
        request,
        "accessibility.html",
        {
            "operator": settings.KSR_OPERATOR,
            "site_url": settings.KSR_SITE_URL,
            "contact": settings.KSR_ACCESSIBILITY_CONTACT,
            "email": settings.KSR_ACCESSIBILITY_EMAIL,
            "phone": settings.KSR_ACCESSIBILITY_PHONE,
            "building": settings.KSR_BUILDING_ACCESSIBILITY,
            "published": PUBLISHED,
            "updated": UPDATED,
            "prepared": PREPARED,
            "reviewed": REVIEWED,
            "nonconformities": NONCONFORMITIES,
            "exclusions": EXCLUSIONS,
        },
    )
