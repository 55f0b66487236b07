"""The portal's sections (办事服务, 预约, ...) in one list, shared by the main navigation, the
home page cards and the site map.

Each later capability owns one section's pages under its own URL namespace. A section is
shown as a link as soon as its URL name resolves; until then it is listed, described and
marked "coming soon" instead of being a broken link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def url_if_exists(url_name: str, *args: Any) -> str:
    try:
        return reverse(url_name, args=args or None)
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    description: str | Promise
    url_name: str

    @property
    def url(self) -> str:
        return url_if_exists(self.url_name)


# Main navigation and the home page's first row, in the order citizens look for them.
MAIN_SECTIONS: tuple[Section, ...] = (
    Section(
        "services",
        _("Services"),
        _("Find a government service, read its guide and apply online."),
        "catalog:index",
    ),
    Section(
        "appointments",
        _("Appointments"),
        _("Book a time at a service hall near you, or change a booking."),
        "halls:index",
    ),
    Section(
        "certificates",
        _("My certificates"),
        _("Your electronic certificates and licences: download, share or verify them."),
        "certificates:wallet",
    ),
    Section(
        "consult",
        _("Consult"),
        _("Ask a question, search the policy answers or rate a service."),
        "consult:index",
    ),
    Section(
        "epidemic",
        _("Epidemic zone"),
        _("Health declaration, health code, trip checks and official information."),
        "epidemic:index",
    ),
    Section(
        "opendata",
        _("Open data"),
        _("Browse and download public datasets, or call the open-data API."),
        "opendata:index",
    ),
    Section(
        "datacentre",
        _("Data centre"),
        _("Service figures and the digital-government index for every region."),
        "insight:index",
    ),
)

# Doors for the two other kinds of user, shown below the main sections.
AUDIENCE_SECTIONS: tuple[Section, ...] = (
    Section(
        "enterprises",
        _("For enterprises"),
        _(
            "Register your company with its unified social credit code, then apply for it "
            "online as its authorised agent."
        ),
        "accounts:enterprise_register",
    ),
    Section(
        "staff",
        _("For government staff"),
        _("Sign in to the staff workbench with your password and authenticator code."),
        "accounts:staff_login",
    ),
)

# The staff workbench's side navigation; keys are what pages put in block staff_nav_active.
STAFF_SECTIONS: tuple[Section, ...] = (
    Section("workbench", _("Workbench"), _("Your work at a glance."), "accounts:workbench"),
    Section(
        "catalog",
        _("Service catalogue"),
        _("Draft, review and publish service items and guides."),
        "catalog:manage",
    ),
    Section(
        "applications",
        _("Applications"),
        _("Accept and decide applications."),
        "applications:inbox",
    ),
    Section(
        "rules",
        _("Automated decisions"),
        _("Decisions made by rules, with appeal and overturn rates per rule."),
        "applications:rules",
    ),
    Section("halls", _("Halls and queues"), _("Serve the hall queue."), "halls:staff_index"),
    Section(
        "certificates",
        _("Issued certificates"),
        _("Find and revoke certificates your department issued."),
        "certificates:staff_list",
    ),
    Section("consult", _("Questions"), _("Answer citizens' questions."), "consult:staff_inbox"),
    Section(
        "delivery",
        _("Deliveries"),
        _("Prepare, ship and track materials and results sent by post."),
        "delivery:staff_list",
    ),
    Section(
        "reviews",
        _("Ratings and rectification"),
        _("Bad ratings to put right, appeals and satisfaction figures."),
        "reviews:staff_index",
    ),
    Section(
        "epidemic",
        _("Epidemic work"),
        _("Observation, reports and notices."),
        "epidemic:staff_index",
    ),
    Section("audit", _("Audit log"), _("Who did what, and why."), "audit:staff_list"),
)
