"""Decision tables edited by department admins with reviewer sign-off: the safe cell
grammar, DMN round trip, versions pinned per application, permissions and scoping."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from yiwang.accounts.models import DepartmentKind
from yiwang.accounts.tests.factories import StaffFactory, staff_client_login
from yiwang.applications import dmn_tables as d
from yiwang.applications.engine.definitions import process_parse
from yiwang.applications.models import (
    AutomatedDecision,
    DecisionTableStatus,
    DecisionTableVersion,
    ProcessDefinition,
)
from yiwang.applications.selectors import rule_figures_for_staff
from yiwang.applications.services import application_submit, process_definition_install
from yiwang.applications.services import rules as svc
from yiwang.applications.services.citizen import application_draft_save
from yiwang.applications.tests.factories import (
    GOOD_FORM,
    INSTANT,
    bpmn,
    citizen,
    dmn,
    implementation_for,
    platform_admin,
)
from yiwang.audit.models import AuditEntry
from yiwang.notify.models import Delivery

KIND = DepartmentKind.HUMAN_RESOURCES
NEW_REASON_EN = "Checked automatically under the new rules."

# --- the grammar (no database)

ACCEPTED = {
    "-": "-",
    "": "-",
    "18": "18",
    ">= 18": ">= 18",
    "<60": "< 60",
    "[18..60]": "[18..60]",
    "(18..60]": "(18..60]",
    "]18..60[": "(18..60)",
    '"a","b"': '"a", "b"',
    "TRUE": "true",
    "false": "false",
    'not("a", "b")': 'not("a", "b")',
    "not(>= 5, [1..2))": "not(>= 5, [1..2))",
    "< 5, > 10": "< 5, > 10",
    "-5.25": "-5.25",
    '"广州市"': '"广州市"',
}
REJECTED = [
    '__import__("os").system("id")',
    "1; 2",
    "applicant_verified or True",
    '"a\\"',
    '"it\'s"',
    '"why?"',
    "? == 1",
    "[60..18]",
    "(5..5)",
    "007",
    "not(not(1))",
    '"a" "b"',
    "'a'",
    "1e9",
    "lambda: 1",
    "[1..2",
    "True or 1",
    "x",
]
SAFE_TOKEN = re.compile(
    r'\s*(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?|"[^"\'\\?\x00-\x1f]*"|<=|>=|==|<|>|[(),?]|'
    r"True|False|not|in|or|-)"
)


def _only_safe_tokens(text: str) -> bool:
    pos = 0
    while pos < len(text):
        match = SAFE_TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            return False
        pos = match.end()
    return True


@pytest.mark.parametrize(("typed", "shown"), ACCEPTED.items())
def test_accepted_cells_round_trip(typed: str, shown: str) -> None:
    cell = d.cell_parse(typed)
    assert d.cell_to_feel(cell) == shown
    assert d.cell_parse(shown) == cell
    python = d.cell_to_python(cell)
    assert d.cell_from_python(python) == cell
    assert _only_safe_tokens(python)


@pytest.mark.parametrize("typed", REJECTED)
def test_anything_else_is_refused(typed: str) -> None:
    with pytest.raises(d.CellError):
        d.cell_parse(typed)


def test_cells_must_fit_the_column_type() -> None:
    assert d.cell_parse("true", type_ref="boolean") == d.Cell((d.Lit("bool", "true"),))
    for typed, type_ref, message in [
        ('"yes"', "boolean", d.MSG_CELL_BOOLEAN),
        (">= 3", "string", d.MSG_CELL_TEXT),
        ("true", "integer", d.MSG_CELL_NUMBER),
    ]:
        with pytest.raises(d.CellError) as exc:
            d.cell_parse(typed, type_ref=type_ref)
        assert exc.value.message == message


def _check_random(text: str) -> None:
    try:
        cell = d.cell_parse(text)
    except d.CellError:
        return
    python = d.cell_to_python(cell)
    assert _only_safe_tokens(python), python
    assert d.cell_from_python(python) == cell
    assert d.cell_parse(d.cell_to_feel(cell)) == cell


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list('0123456789-.,[]()"ab<>=? notruefalsNOT')), max_size=30)
)
def test_grammar_shaped_text_never_reaches_the_engine_unvalidated(text: str) -> None:
    _check_random(text)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40))
def test_random_text_never_reaches_the_engine_unvalidated(text: str) -> None:
    _check_random(text)


_numbers = st.integers(-10_000, 10_000).map(str)
_strings = st.text(
    alphabet=st.characters(
        blacklist_characters="\"'\\?", blacklist_categories=("Cc", "Cs", "Zl", "Zp")
    ),
    max_size=12,
)
_tests = st.one_of(
    _numbers.map(lambda n: d.Lit("number", n)),
    _strings.map(lambda s: d.Lit("string", s)),
    st.sampled_from(["true", "false"]).map(lambda b: d.Lit("bool", b)),
    st.tuples(st.sampled_from(["<", "<=", ">", ">="]), _numbers).map(lambda t: d.Cmp(*t)),
    st.tuples(st.integers(-99, 0), st.integers(1, 99), st.booleans(), st.booleans()).map(
        lambda t: d.Interval(str(t[0]), str(t[1]), t[2], t[3])
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_tests, min_size=1, max_size=4).map(tuple), st.booleans())
def test_every_accepted_cell_round_trips(tests: tuple[Any, ...], negated: bool) -> None:
    cell = d.Cell(tests, negated)
    shown = d.cell_to_feel(cell)
    assert d.cell_parse(shown) == cell
    assert d.cell_from_python(d.cell_to_python(cell)) == cell


@pytest.mark.django_db  # the engine's parser may read the database
def test_demo_table_round_trips_to_dmn_the_engine_loads() -> None:
    table = d.table_parse(dmn(INSTANT))
    assert [c.expression for c in table.inputs] == ["applicant_verified", "applicant_in_province"]
    assert table.hit_policy == "FIRST"
    assert table.rows[0].inputs == ["false", "-"]
    xml = d.table_to_xml(table, version_tag="2")
    process_parse(bpmn(INSTANT), xml)  # validated against the DMN 1.3 schema by the engine
    again = d.table_parse(xml)
    assert [r.as_json() for r in again.rows] == [r.as_json() for r in table.rows]
    assert d.table_cells_safe(xml)
    assert 'camunda:versionTag="2"' in xml


@pytest.mark.django_db  # the engine's parser may read the database
def test_engine_evaluates_generated_ranges_lists_and_not() -> None:
    table = d.table_parse(dmn(INSTANT))
    table.rows = [
        d.Row("R1", inputs=["not(true)", "-"], outputs={"decision": "reject"}),
        d.Row("R2", inputs=["true, false", "true"], outputs={"decision": "approve"}),
        d.Row("R3", inputs=["-", "-"], outputs={"decision": "reject"}),
    ]
    xml = d.table_to_xml(table)
    cases = {(False, True): "R1", (True, True): "R2", (True, False): "R3"}
    for (verified, province), rule in cases.items():
        result = d.table_evaluate(
            bpmn_xml=bpmn(INSTANT),
            dmn_xml=xml,
            data={"applicant_verified": verified, "applicant_in_province": province},
        )
        assert result.rule_ids[0] == rule
        assert result.outputs["rule_id"] == rule


# --- services: draft, sign-off, publish (database)


def _setup(region_code: str = "4401") -> tuple[Any, Any, Any]:
    implementation = implementation_for(INSTANT, region_code=region_code, kind=KIND)
    admin = StaffFactory(region_code=region_code, roles=["department_admin"], department_kind=KIND)
    reviewer = StaffFactory(region_code=region_code, roles=["reviewer"], department_kind=KIND)
    return implementation, admin, reviewer


def _rows(implementation: Any, **changes: Any) -> list[dict[str, Any]]:
    entry = svc.definition_in_force(implementation)
    assert entry is not None
    rows = [r.as_json() for r in d.table_parse(entry.dmn_xml).rows]
    rows[2]["outputs"]["reason_en"] = changes.get("reason_en", NEW_REASON_EN)
    return rows


def _apply(implementation: Any) -> Any:
    implementation.refresh_from_db()
    draft = application_draft_save(
        user=citizen(), implementation=implementation, form_data=GOOD_FORM
    )
    return application_submit(user=draft.applicant, application=draft, submit_token=uuid.uuid4())


@pytest.mark.django_db
def test_approved_table_decides_new_applications_and_old_ones_keep_theirs() -> None:
    implementation, admin, reviewer = _setup()
    old = _apply(implementation)
    old_decision = AutomatedDecision.objects.get(application=old)
    version = svc.decision_table_draft_save(
        user=admin, implementation=implementation, rows=_rows(implementation)
    )
    assert version.status == DecisionTableStatus.DRAFT and version.number == 1
    svc.decision_table_submit(user=admin, version=version)
    assert Delivery.objects.filter(
        recipient=reviewer, template="decision_table_review_requested"
    ).exists()
    assert not Delivery.objects.filter(
        recipient=admin, template="decision_table_review_requested"
    ).exists()
    approved = svc.decision_table_review(user=reviewer, version=version, approve=True)
    assert approved.status == DecisionTableStatus.APPROVED
    definition = approved.definition
    assert definition is not None
    assert definition.key == f"{INSTANT}@{implementation.pk}"
    assert definition.version == old_decision.definition.version + 1
    assert definition.bpmn_xml == old_decision.definition.bpmn_xml  # byte-identical
    new = _apply(implementation)
    new_decision = AutomatedDecision.objects.get(application=new)
    assert new.definition == definition
    assert new_decision.definition == definition
    assert new_decision.rule_id == "R3_approve"
    assert new_decision.reason_en == NEW_REASON_EN
    old_decision.refresh_from_db()
    assert old_decision.definition.version == 1
    assert old_decision.reason_en != NEW_REASON_EN
    old.refresh_from_db()
    assert old.definition.version == 1
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "applications.rules_drafted",
        "applications.rules_submitted",
        "applications.rules_approved",
        "applications.rules_published",
    } <= actions
    assert Delivery.objects.filter(recipient=admin, template="decision_table_reviewed").exists()
    # The supervisors' figures stay per rule and table version.
    supervisor = StaffFactory(region_code="4401", roles=["supervisor"])
    figures = {
        (r["rule_id"], r["version"]): r["decided"] for r in rule_figures_for_staff(user=supervisor)
    }
    assert figures == {("R3_approve", 1): 1, ("R3_approve", definition.version): 1}


@pytest.mark.django_db
def test_a_second_approval_keeps_the_implementation_key_and_other_regions_untouched() -> None:
    implementation, admin, reviewer = _setup()
    other, _a, _r = _setup("4403")
    for reason in ("first", "second"):
        version = svc.decision_table_draft_save(
            user=admin, implementation=implementation, rows=_rows(implementation, reason_en=reason)
        )
        svc.decision_table_submit(user=admin, version=version)
        svc.decision_table_review(user=reviewer, version=version, approve=True)
    implementation.refresh_from_db()
    in_force = svc.definition_in_force(implementation)
    assert in_force is not None and in_force.key == f"{INSTANT}@{implementation.pk}"
    assert "second" in in_force.dmn_xml
    other.refresh_from_db()
    other_force = svc.definition_in_force(other)
    assert other_force is not None and other_force.key == INSTANT


@pytest.mark.django_db
def test_bad_cell_is_a_field_error_naming_the_cell_and_nothing_is_saved() -> None:
    implementation, admin, _reviewer = _setup()
    rows = _rows(implementation)
    rows[1]["inputs"][0] = '__import__("os").system("id")'
    rows[2]["outputs"]["decision"] = "maybe"
    with pytest.raises(ValidationError) as exc:
        svc.decision_table_draft_save(user=admin, implementation=implementation, rows=rows)
    errors = exc.value.message_dict
    assert "rows.1.inputs.0" in errors
    assert errors["rows.1.inputs.0"][0].startswith("Rule 2, “Real-name verified”:")
    assert "rows.2.decision" in errors
    assert not DecisionTableVersion.objects.exists()


@pytest.mark.django_db
def test_author_cannot_approve_and_others_cannot_review() -> None:
    implementation, admin, _reviewer = _setup()
    version = svc.decision_table_draft_save(
        user=admin, implementation=implementation, rows=_rows(implementation)
    )
    svc.decision_table_submit(user=admin, version=version)
    with pytest.raises(ValidationError) as exc:
        svc.decision_table_review(user=admin, version=version, approve=True)
    assert exc.value.code == "own_draft"
    elsewhere = StaffFactory(region_code="4403", roles=["reviewer"], department_kind=KIND)
    clerk = StaffFactory(region_code="4401", roles=["clerk"], department_kind=KIND)
    for user in (elsewhere, clerk):
        with pytest.raises(PermissionDenied):
            svc.decision_table_review(user=user, version=version, approve=True)
    version.refresh_from_db()
    assert version.status == DecisionTableStatus.SUBMITTED
    assert ProcessDefinition.objects.count() == 1


@pytest.mark.django_db
def test_second_department_admin_may_sign_off_and_reject_needs_a_comment() -> None:
    implementation, admin, _reviewer = _setup()
    colleague = StaffFactory(region_code="4401", roles=["department_admin"], department_kind=KIND)
    version = svc.decision_table_draft_save(
        user=admin, implementation=implementation, rows=_rows(implementation)
    )
    svc.decision_table_submit(user=admin, version=version)
    with pytest.raises(ValidationError) as exc:
        svc.decision_table_review(user=colleague, version=version, approve=False)
    assert "comment" in exc.value.message_dict
    rejected = svc.decision_table_review(
        user=colleague, version=version, approve=False, comment="R3 reason unclear"
    )
    assert rejected.status == DecisionTableStatus.REJECTED
    assert rejected.reviewer == colleague and rejected.review_comment == "R3 reason unclear"
    assert ProcessDefinition.objects.count() == 1
    assert AuditEntry.objects.filter(action="applications.rules_rejected").exists()


@pytest.mark.django_db
def test_submitted_draft_cannot_be_edited_and_stale_pages_are_refused() -> None:
    implementation, admin, _reviewer = _setup()
    rows = _rows(implementation)
    version = svc.decision_table_draft_save(user=admin, implementation=implementation, rows=rows)
    with pytest.raises(ValidationError) as exc:  # a page opened before the draft existed
        svc.decision_table_draft_save(user=admin, implementation=implementation, rows=rows)
    assert exc.value.code == "stale_draft"
    svc.decision_table_submit(user=admin, version=version)
    with pytest.raises(ValidationError) as exc:
        svc.decision_table_draft_save(
            user=admin, implementation=implementation, rows=rows, number=version.number
        )
    assert exc.value.code == "submitted"
    with pytest.raises(ValidationError) as exc:
        svc.decision_table_submit(user=admin, version=version)
    assert exc.value.code == "submitted"


@pytest.mark.django_db
def test_newer_table_approved_meanwhile_is_a_clear_error_and_nothing_changes() -> None:
    implementation, admin, reviewer = _setup()
    version = svc.decision_table_draft_save(
        user=admin, implementation=implementation, rows=_rows(implementation)
    )
    svc.decision_table_submit(user=admin, version=version)
    process_definition_install(
        actor=platform_admin(),
        bpmn_xml=bpmn(INSTANT),
        dmn_xml=dmn(INSTANT).replace("即时出具。", "即时出具！"),
    )
    before = ProcessDefinition.objects.count()
    with pytest.raises(ValidationError) as exc:
        svc.decision_table_review(user=reviewer, version=version, approve=True)
    assert exc.value.code == "stale_table"
    version.refresh_from_db()
    assert version.status == DecisionTableStatus.SUBMITTED and version.reviewer is None
    assert ProcessDefinition.objects.count() == before
    # The reviewer rejects it; the author starts again from the table in force.
    svc.decision_table_review(user=reviewer, version=version, approve=False, comment="stale")
    again = svc.decision_table_draft_save(
        user=admin, implementation=implementation, rows=_rows(implementation)
    )
    assert again.number == 2 and again.base_definition.version == before
    assert svc.decision_table_discard(user=admin, version=again).status == "discarded"


@pytest.mark.django_db
def test_install_table_refuses_a_changed_bpmn_or_unsafe_cells() -> None:
    implementation, admin, _reviewer = _setup()
    base = svc.definition_in_force(implementation)
    assert base is not None
    with pytest.raises(ValidationError) as exc:
        svc.process_definition_install_table(
            actor=admin,
            base=base,
            key=f"{INSTANT}@1",
            bpmn_xml=base.bpmn_xml.replace("规则判定", "判定"),
            dmn_xml=base.dmn_xml,
        )
    assert exc.value.code == "bpmn_changed"
    unsafe = base.dmn_xml.replace("<text>True</text>", '<text>__import__("os")</text>', 1)
    with pytest.raises(ValidationError) as exc:
        svc.process_definition_install_table(
            actor=admin, base=base, key=f"{INSTANT}@1", bpmn_xml=base.bpmn_xml, dmn_xml=unsafe
        )
    assert exc.value.code == "unsafe_table"


@pytest.mark.django_db
def test_only_the_departments_admins_edit_and_other_tables_are_not_found() -> None:
    implementation, _admin, reviewer = _setup()
    with pytest.raises(PermissionDenied):
        svc.decision_table_draft_save(
            user=reviewer, implementation=implementation, rows=_rows(implementation)
        )
    other_region = StaffFactory(
        region_code="4403", roles=["department_admin"], department_kind=KIND
    )
    other_kind = StaffFactory(region_code="4401", roles=["department_admin"])
    for user in (other_region, other_kind):
        with pytest.raises(Http404):
            svc.rule_table_get_for_staff(user=user, implementation_id=implementation.pk)
        with pytest.raises(PermissionDenied):
            svc.decision_table_draft_save(
                user=user, implementation=implementation, rows=_rows(implementation)
            )


@pytest.mark.django_db
def test_test_form_uses_the_engine_and_checks_values() -> None:
    implementation, admin, _reviewer = _setup()
    version = svc.decision_table_draft_save(
        user=admin, implementation=implementation, rows=_rows(implementation)
    )
    table = svc.version_table(version)
    result = svc.decision_table_test(
        table=table,
        bpmn_xml=version.base_definition.bpmn_xml,
        dmn_xml=version.dmn_xml,
        values={"applicant_verified": "true", "applicant_in_province": "true"},
    )
    assert result.rule_ids == ["R3_approve"]
    assert result.outputs["reason_en"] == NEW_REASON_EN
    with pytest.raises(ValidationError) as exc:
        svc.decision_table_test(
            table=table,
            bpmn_xml=version.base_definition.bpmn_xml,
            dmn_xml=version.dmn_xml,
            values={"applicant_verified": "maybe"},
        )
    assert set(exc.value.message_dict) == {"applicant_verified", "applicant_in_province"}


# --- pages and API


def _client(user: Any) -> Client:
    return staff_client_login(Client(), user)


@pytest.mark.django_db
def test_pages_edit_submit_review_in_both_languages() -> None:
    implementation, admin, reviewer = _setup()
    author = _client(admin)
    listing = author.get("/applications/staff/rules/tables/")
    assert "决策表" in listing.content.decode()
    edit_url = f"/applications/staff/rules/{implementation.pk}/edit/"
    page = author.get(edit_url)
    assert page.status_code == 200 and "编辑规则" in page.content.decode()
    form = {"number": "", "count": "3", "action": "add"}
    for i, row in enumerate(_rows(implementation)):
        form[f"rows-{i}-id"] = row["id"]
        form[f"rows-{i}-description"] = row["description"]
        for j, cell in enumerate(row["inputs"]):
            form[f"rows-{i}-in-{j}"] = cell
        for name, value in row["outputs"].items():
            form[f"rows-{i}-out-{name}"] = value
    added = author.post(edit_url, form)
    assert added.status_code == 200 and 'name="rows-3-id" value="R4"' in added.content.decode()
    assert not DecisionTableVersion.objects.exists()
    bad = author.post(edit_url, {**form, "action": "save", "rows-0-in-1": "os.system"})
    assert bad.status_code == 422
    body = bad.content.decode()
    assert 'href="#rows-0-in-1"' in body and "规则 1" in body
    saved = author.post(edit_url, {**form, "action": "save"})
    version = DecisionTableVersion.objects.get()
    url = f"/applications/staff/rules/{implementation.pk}/versions/{version.number}/"
    assert saved.status_code == 302 and saved["Location"] == url
    test = author.post(
        url + "test/",
        {"applicant_verified": "true", "applicant_in_province": "true"},
        HTTP_HX_REQUEST="true",
    )
    assert "R3_approve" in test.content.decode() and NEW_REASON_EN in test.content.decode()
    assert author.post(url + "submit/").status_code == 302
    assert author.get(edit_url)["Location"] == url  # a submitted version is not edited
    own = author.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "someone else must review" in own.content.decode()
    signer = _client(reviewer)
    review_page = signer.get(url, HTTP_ACCEPT_LANGUAGE="en")
    text = review_page.content.decode()
    assert "Changes, rule by rule" in text and "Changed" in text and "Approve and publish" in text
    assert signer.post(url + "review/", {"decision": "reject"}).status_code == 422
    assert signer.post(url + "review/", {"decision": "approve"}).status_code == 302
    version.refresh_from_db()
    assert version.status == DecisionTableStatus.APPROVED


@pytest.mark.django_db
def test_other_departments_pages_and_api_are_not_found() -> None:
    implementation, _admin, _reviewer = _setup()
    stranger = _client(
        StaffFactory(region_code="4403", roles=["department_admin"], department_kind=KIND)
    )
    assert stranger.get(f"/applications/staff/rules/{implementation.pk}/").status_code == 404
    assert stranger.get(f"/applications/staff/rules/{implementation.pk}/edit/").status_code == 404
    assert stranger.get(f"/api/v1/applications/rules/{implementation.pk}").status_code == 404


@pytest.mark.django_db
def test_api_draft_submit_review_and_test() -> None:
    implementation, admin, reviewer = _setup()
    author = _client(admin)
    base = f"/api/v1/applications/rules/{implementation.pk}"
    table = author.get(base).json()
    assert table["hit_policy"] == "FIRST" and len(table["rows"]) == 3
    rows = _rows(implementation)
    created = author.post(f"{base}/versions", {"rows": rows}, content_type="application/json")
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    bad = [dict(r) for r in rows]
    bad[0] = {**bad[0], "inputs": ["import os", "-"]}
    refused = author.post(
        f"{base}/versions", {"rows": bad, "number": number}, content_type="application/json"
    )
    assert refused.status_code == 422 and "rows.0.inputs.0" in str(refused.json())
    tested = author.post(
        f"{base}/versions/{number}/test",
        {"values": {"applicant_verified": "false", "applicant_in_province": "true"}},
        content_type="application/json",
    )
    assert tested.json()["rule_id"] == "R1_not_verified" and tested.json()["decision"] == "reject"
    assert author.post(f"{base}/versions/{number}/submit").json()["status"] == "submitted"
    own = author.post(
        f"{base}/versions/{number}/review", {"approve": True}, content_type="application/json"
    )
    assert own.status_code == 422 and own.json()["code"] == "own_draft"
    approved = _client(reviewer).post(
        f"{base}/versions/{number}/review", {"approve": True}, content_type="application/json"
    )
    assert approved.json()["status"] == "approved"
    assert approved.json()["published_definition_version"] == 2
    listed = author.get(f"{base}/versions").json()
    assert [v["number"] for v in listed] == [number]


@pytest.mark.django_db
def test_the_engine_only_evaluates_expressions_built_from_validated_cells(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lxml import etree

    from yiwang.applications.engine.runtime import YiwangScriptEngine

    implementation, admin, reviewer = _setup()
    rows = _rows(implementation)
    rows[0]["inputs"] = ["not(true)", "-"]
    rows[1]["inputs"] = ["true, false", "false"]
    version = svc.decision_table_draft_save(user=admin, implementation=implementation, rows=rows)
    svc.decision_table_submit(user=admin, version=version)
    version = svc.decision_table_review(user=reviewer, version=version, approve=True)
    root = etree.fromstring(version.dmn_xml.encode())
    ns = {"d": d.DMN_NS}
    inputs = [t.text for t in root.findall(".//d:inputExpression/d:text", ns)]
    allowed = set(inputs) | {'decision == "approve"', 'decision == "reject"'}
    for rule in root.findall(".//d:rule", ns):
        for inp, entry in zip(inputs, rule.findall("d:inputEntry/d:text", ns), strict=True):
            cell = entry.text or "-"
            assert d.cell_from_python(cell) is not None  # only cells we generated
            allowed |= {f"({inp}) == ({cell})", f"{inp}{cell}", cell.replace("?", "dmninputexpr")}
        allowed |= {t.text for t in rule.findall("d:outputEntry/d:text", ns)}
    seen: list[str] = []
    original = YiwangScriptEngine.evaluate

    def spy(self: Any, task: Any, expression: str, external_context: Any = None) -> Any:
        seen.append(expression)
        return original(self, task, expression, external_context)

    monkeypatch.setattr(YiwangScriptEngine, "evaluate", spy)
    application = _apply(implementation)
    assert application.definition == version.definition and seen
    assert set(seen) <= allowed, set(seen) - allowed


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_and_two_regions_at_once_on_postgresql() -> None:
    from yiwang.applications.tests.test_concurrency import _race

    implementation, admin, reviewer = _setup()
    other, other_admin, other_reviewer = _setup("4403")
    second = StaffFactory(region_code="4401", roles=["reviewer"], department_kind=KIND)
    version = svc.decision_table_draft_save(
        user=admin, implementation=implementation, rows=_rows(implementation)
    )
    svc.decision_table_submit(user=admin, version=version)
    results, errors = _race(
        [
            lambda: svc.decision_table_review(user=reviewer, version=version, approve=True),
            lambda: svc.decision_table_review(user=second, version=version, approve=True),
        ]
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError) and errors[0].code == "not_submitted"
    assert ProcessDefinition.objects.filter(key__startswith=f"{INSTANT}@").count() == 1
    # Two departments approving their own tables of the same process at the same instant
    # still get distinct table version numbers.
    drafts = []
    for impl, author in ((implementation, admin), (other, other_admin)):
        impl.refresh_from_db()
        draft_version = svc.decision_table_draft_save(
            user=author, implementation=impl, rows=_rows(impl, reason_en="again")
        )
        drafts.append(svc.decision_table_submit(user=author, version=draft_version))
    results, errors = _race(
        [
            lambda: svc.decision_table_review(user=reviewer, version=drafts[0], approve=True),
            lambda: svc.decision_table_review(user=other_reviewer, version=drafts[1], approve=True),
        ]
    )
    assert errors == []
    versions = list(ProcessDefinition.objects.values_list("version", flat=True))
    assert len(versions) == len(set(versions)) == 4


@pytest.mark.django_db
def test_notifications_are_rendered_in_each_recipients_language() -> None:
    implementation, admin, reviewer = _setup()
    admin.language = "en"
    admin.save(update_fields=["language"])
    version = svc.decision_table_draft_save(
        user=admin, implementation=implementation, rows=_rows(implementation)
    )
    svc.decision_table_submit(user=admin, version=version)
    asked = Delivery.objects.get(recipient=reviewer, template="decision_table_review_requested")
    assert asked.subject == "待审核决策表：草稿 1"
    svc.decision_table_review(user=reviewer, version=version, approve=False, comment="太笼统")
    told = Delivery.objects.get(recipient=admin, template="decision_table_reviewed")
    assert told.subject == "Decision table draft 1 rejected"
    assert "太笼统" in told.body
