"""Pages: a citizen's "Who viewed my data" and the staff audit list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yiwang.audit import selectors
from yiwang.audit.forms import AuditFilterForm

PAGE_SIZE = 20


@login_required
def my_data_reads(request: HttpRequest) -> HttpResponse:
    entries = selectors.audit_reads_for_subject(user=request.user)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/my_data_reads.html", {"page": page})


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.audit_entries_for_staff(
        user=request.user,
        action=filters.get("action", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)  # the pagination links keep the filters and set their own page
    filter_query = query.urlencode() + "&" if query else ""
    return render(
        request, "audit/staff_list.html", {"page": page, "form": form, "filter_query": filter_query}
    )
