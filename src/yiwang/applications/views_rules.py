"""Decision tables (决策表) for department staff: see the table in force, edit a draft,
try it out, submit it, and sign it off (approve or reject) with a rule-by-rule diff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from yiwang.accounts.decorators import staff_required
from yiwang.applications.dmn_tables import DECISION_OUTPUT, MAX_ROWS, Row, Table, table_parse
from yiwang.applications.services import rules as svc

DECISION_LABELS = {
    "approve": pgettext_lazy("rules decision", "Approve"),
    "reject": pgettext_lazy("rules decision", "Reject"),
}
STATUS_TAGS = {
    "draft": "grey",
    "submitted": "yellow",
    "approved": "green",
    "rejected": "red",
    "discarded": "grey",
}


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {_field_id(k): v for k, v in exc.message_dict.items()}
    return {"__all__": exc.messages}


def _field_id(key: str) -> str:
    """``rows.2.inputs.1`` -> ``rows-2-in-1``; ``rows.2.reason_zh`` -> ``rows-2-out-reason_zh``."""
    parts = key.split(".")
    if len(parts) == 4 and parts[0] == "rows" and parts[2] == "inputs":
        return f"rows-{parts[1]}-in-{parts[3]}"
    if len(parts) == 3 and parts[0] == "rows":
        if parts[2] in ("id", "description"):
            return f"rows-{parts[1]}-{parts[2]}"
        return f"rows-{parts[1]}-out-{parts[2]}"
    if len(parts) == 2 and parts[0] == "rows":
        return f"rows-{parts[1]}-id"
    return key


def _posted_rows(post: QueryDict, table: Table) -> list[dict[str, Any]]:
    try:
        count = min(max(int(post.get("count", "0")), 0), MAX_ROWS + 1)
    except ValueError:
        count = 0
    return [
        {
            "id": post.get(f"rows-{i}-id", ""),
            "description": post.get(f"rows-{i}-description", ""),
            "inputs": [post.get(f"rows-{i}-in-{j}", "") for j in range(len(table.inputs))],
            "outputs": {
                c.name: post.get(f"rows-{i}-out-{c.name}", "") for c in table.editable_outputs
            },
        }
        for i in range(count)
    ]


def _new_row(table: Table, rows: list[dict[str, Any]]) -> dict[str, Any]:
    taken = {str(r.get("id", "")) for r in rows}
    number = len(rows) + 1
    while f"R{number}" in taken:
        number += 1
    return {
        "id": f"R{number}",
        "description": "",
        "inputs": ["-"] * len(table.inputs),
        "outputs": {c.name: "" for c in table.editable_outputs},
    }


def _rearranged(action: str, rows: list[dict[str, Any]], table: Table) -> list[dict[str, Any]]:
    """Add, remove or move a rule on the page (nothing is saved until "Save draft")."""
    verb, _sep, arg = action.partition(":")
    if verb == "add" and len(rows) < MAX_ROWS:
        return [*rows, _new_row(table, rows)]
    try:
        index = int(arg)
    except ValueError:
        return rows
    if not 0 <= index < len(rows):
        return rows
    rows = list(rows)
    if verb == "remove":
        del rows[index]
    elif verb == "up" and index > 0:
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
    elif verb == "down" and index < len(rows) - 1:
        rows[index + 1], rows[index] = rows[index], rows[index + 1]
    return rows


def _row_views(
    table: Table, rows: list[dict[str, Any]], errors: dict[str, list[str]], choices: list[str]
) -> list[dict[str, Any]]:
    out = []
    for i, raw in enumerate(rows):
        row = Row.from_json(raw)
        cells = [
            {
                "column": column,
                "value": row.inputs[j] if j < len(row.inputs) else "-",
                "field": f"rows-{i}-in-{j}",
                "errors": errors.get(f"rows-{i}-in-{j}", []),
            }
            for j, column in enumerate(table.inputs)
        ]
        outputs = [
            {
                "column": column,
                "value": row.outputs.get(column.name, ""),
                "field": f"rows-{i}-out-{column.name}",
                "errors": errors.get(f"rows-{i}-out-{column.name}", []),
                "choices": [(c, DECISION_LABELS.get(c, c)) for c in choices]
                if column.name == DECISION_OUTPUT
                else None,
            }
            for column in table.editable_outputs
        ]
        out.append(
            {
                "index": i,
                "number": i + 1,
                "id": row.id,
                "description": row.description,
                "cells": cells,
                "outputs": outputs,
                "id_errors": errors.get(f"rows-{i}-id", []),
                "description_errors": errors.get(f"rows-{i}-description", []),
            }
        )
    return out


@staff_required
def tables(request: HttpRequest) -> HttpResponse:
    """The decision tables of the reader's department."""
    entries = svc.rule_implementations_for_staff(user=request.user)
    listing = [{"entry": e, "open": svc.open_version(e.implementation)} for e in entries]
    return render(request, "applications/rules/tables.html", {"listing": listing})


@staff_required
def table(request: HttpRequest, implementation_id: int) -> HttpResponse:
    """The table in force, its versions, and the way to edit it."""
    entry = svc.rule_table_get_for_staff(user=request.user, implementation_id=implementation_id)
    return render(request, "applications/rules/table.html", {
        "entry": entry,
        "versions": svc.table_versions_for_staff(
            user=request.user, implementation_id=implementation_id
        ),
        "open": svc.open_version(entry.implementation),
        "rules": svc.rule_views(entry.table),
        "can_edit": svc.can_edit(request.user, entry.implementation),
        "decision_labels": DECISION_LABELS,
        "status_tags": STATUS_TAGS,
    })  # fmt: skip


@staff_required
def edit(request: HttpRequest, implementation_id: int) -> HttpResponse:
    """Edit the open draft (or start one from the table in force)."""
    entry = svc.rule_table_get_for_staff(user=request.user, implementation_id=implementation_id)
    if not svc.can_edit(request.user, entry.implementation):
        messages.error(request, str(svc.MSG_NOT_EDITOR))
        return redirect("applications:rules_table", implementation_id)
    current = svc.open_version(entry.implementation)
    if current is not None and current.status == "submitted":
        messages.error(request, str(svc.MSG_SUBMITTED))
        return redirect("applications:rules_version", implementation_id, current.number)
    table = entry.table
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        rows = _posted_rows(request.POST, table)
        number_text = request.POST.get("number", "")
        action = request.POST.get("action", "save")
        if action == "save":
            try:
                version = svc.decision_table_draft_save(
                    user=request.user,
                    implementation=entry.implementation,
                    rows=rows,
                    number=int(number_text) if number_text.isdigit() else None,
                )
            except ValidationError as exc:
                errors, status = _errors(exc), 422
            else:
                messages.success(request, _("Draft saved. Try it out, then submit it for review."))
                return redirect("applications:rules_version", implementation_id, version.number)
        else:
            rows = _rearranged(action, rows, table)
    else:
        number_text = str(current.number) if current is not None else ""
        if current is not None and current.status == "draft":
            rows = list(current.rows)
        else:
            rows = [row.as_json() for row in table.rows]
    choices = svc._decision_choices(entry.definition.bpmn_xml)
    return render(request, "applications/rules/edit.html", {
        "entry": entry,
        "table": table,
        "current": current,
        "number": number_text,
        "rows": _row_views(table, rows, errors, choices),
        "count": len(rows),
        "errors": errors,
        "max_rows": MAX_ROWS,
    }, status=status)  # fmt: skip


def _version_context(request: HttpRequest, implementation_id: int, number: int) -> dict[str, Any]:
    entry = svc.rule_table_get_for_staff(user=request.user, implementation_id=implementation_id)
    version = svc.table_version_get_for_staff(
        user=request.user, implementation_id=implementation_id, number=number
    )
    table = svc.version_table(version)
    base_table = table_parse(version.base_definition.dmn_xml)
    return {
        "entry": entry,
        "version": version,
        "table": table,
        "diff": svc.table_diff(base_table, table),
        "stale": version.is_open and entry.definition.pk != version.base_definition_id,
        "can_edit": svc.can_edit(request.user, entry.implementation) and version.is_open,
        "can_review": svc.can_review(request.user, version),
        "is_author": version.author_id == request.user.pk,
        "decision_labels": DECISION_LABELS,
        "status_tags": STATUS_TAGS,
        "test_fields": _test_fields(table, {}, {}),
        "errors": {},
    }


def _test_fields(
    table: Table, values: dict[str, str], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    return [
        {
            "column": c,
            "name": c.expression,
            "value": values.get(c.expression, ""),
            "errors": errors.get(c.expression, []),
        }
        for c in table.inputs
    ]


@staff_required
def version(request: HttpRequest, implementation_id: int, number: int) -> HttpResponse:
    return render(
        request,
        "applications/rules/version.html",
        _version_context(request, implementation_id, number),
    )


@staff_required
@require_POST
def test(request: HttpRequest, implementation_id: int, number: int) -> HttpResponse:
    """Which rule matches these facts, and the reason it would give (nothing is saved)."""
    context = _version_context(request, implementation_id, number)
    version = context["version"]
    table = context["table"]
    values = {c.expression: request.POST.get(c.expression, "") for c in table.inputs}
    try:
        result = svc.decision_table_test(
            table=table,
            bpmn_xml=version.base_definition.bpmn_xml,
            dmn_xml=version.dmn_xml,
            values=values,
        )
        context["result"] = result
        context["result_decision"] = DECISION_LABELS.get(
            str(result.outputs.get(DECISION_OUTPUT, "")), ""
        )
    except ValidationError as exc:
        context["test_errors"] = _errors(exc)
    context["test_fields"] = _test_fields(table, values, context.get("test_errors", {}))
    status = 422 if "test_errors" in context else 200
    if request.headers.get("HX-Request"):
        return render(request, "applications/rules/_test.html", context, status=status)
    return render(request, "applications/rules/version.html", context, status=status)


def _act(request: HttpRequest, implementation_id: int, number: int, run: Any, done: str) -> Any:
    context = _version_context(request, implementation_id, number)
    try:
        run(context["version"])
    except ValidationError as exc:
        context["errors"] = _errors(exc)
        context["posted"] = request.POST
        return render(request, "applications/rules/version.html", context, status=422)
    messages.success(request, done)
    return redirect("applications:rules_version", implementation_id, number)


@staff_required
@require_POST
def submit(request: HttpRequest, implementation_id: int, number: int) -> HttpResponse:
    return _act(
        request,
        implementation_id,
        number,
        lambda v: svc.decision_table_submit(user=request.user, version=v),
        _("Submitted. The department's reviewers have been asked to sign it off."),
    )


@staff_required
@require_POST
def discard(request: HttpRequest, implementation_id: int, number: int) -> HttpResponse:
    return _act(
        request,
        implementation_id,
        number,
        lambda v: svc.decision_table_discard(user=request.user, version=v),
        _("The draft was discarded."),
    )


@staff_required
@require_POST
def review(request: HttpRequest, implementation_id: int, number: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    return _act(
        request,
        implementation_id,
        number,
        lambda v: svc.decision_table_review(
            user=request.user, version=v, approve=approve, comment=request.POST.get("comment", "")
        ),
        _("Approved: new applications are now decided by this version.")
        if approve
        else _("Rejected. The author has been told why."),
    )
