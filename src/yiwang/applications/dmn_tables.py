"""决策表: a DMN decision table as rows of cells, and back to DMN 1.3 XML.

SpiffWorkflow evaluates every cell of a decision table with Python's ``eval``. Cells typed
by department admins therefore never reach the engine as typed: they are parsed here with a
small grammar of FEEL-style unary tests, and the engine only ever sees Python generated
from the parse tree (numbers, quoted text without quotes or backslashes inside, True/False,
comparison operators, ``in``, ``or``, ``not`` and the engine's ``?`` placeholder).

Accepted in a cell (the "safe subset")::

    -                      any value
    18   "a"   true        equal to a number, a text, a yes/no fact
    >= 18   < 60           a comparison with a number
    [18..60]  (18..60]     a range (square bracket: end included)
    "a", "b"   < 5, > 10   any of several tests
    not("a", "b")          none of them

The stored XML is the Python form the engine runs (``18 <= ? <= 60``); reading a table
back turns each cell into the form above, so a cell round-trips exactly.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from lxml import etree

DMN_NS = "https://www.omg.org/spec/DMN/20191111/MODEL/"
CAMUNDA_DMN_NS = "http://camunda.org/schema/1.0/dmn"
RULE_ID_OUTPUT = "rule_id"
DECISION_OUTPUT = "decision"
MAX_STRING = 200
MAX_OUTPUT = 1000
MAX_ROWS = 200
HIT_POLICIES = {"FIRST", "UNIQUE"}
BOOLEAN_TYPES = {"boolean"}
STRING_TYPES = {"string"}
NUMBER_TYPES = {"number", "integer", "long", "double"}

MSG_CELL_SYNTAX = _(
    "write “-”, a number, a comparison such as >= 18, a range such as [18..60], quoted "
    'text such as "a", "b", true or false, or not(…) of these'
)
MSG_CELL_STRING = _(
    "text in quotes may not contain quotation marks, backslashes, question marks or line "
    "breaks, and is at most 200 characters long"
)
MSG_CELL_RANGE = _("the range starts after it ends, so nothing could match it")
MSG_CELL_BOOLEAN = _("this column holds a yes/no fact: write true, false or -")
MSG_CELL_TEXT = _('this column holds text: write quoted text such as "a", "b", or -')
MSG_CELL_NUMBER = _(
    "this column holds a number: write a number, a comparison such as >= 18, a range "
    "such as [18..60], or -"
)
MSG_NOT_EDITABLE = _(
    "This decision table cannot be edited here: it must hold exactly one decision table "
    "with a FIRST or UNIQUE hit policy."
)
MSG_EVALUATE_FAILED = _("The table could not be evaluated with these values: %(error)s")

# One token of either surface form (what people type, and the Python we store).
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,6})?(?![0-9]))
    | (?P<string>"[^"]*")
    | (?P<op><=|>=|==|<|>|\.\.|[\[\]\(\),?])
    | (?P<name>[A-Za-z]+)
    )""",
    re.VERBOSE,
)
_STRING_FORBIDDEN = re.compile(r"""["'\\?\x00-\x1f\x7f\u2028\u2029]""")


class CellError(ValueError):
    """A cell outside the safe subset; ``message`` says why in the reader's language."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Lit:
    kind: str  # "number", "string" or "bool"
    value: str  # the number's text, the text itself, or "true"/"false"


@dataclass(frozen=True)
class Cmp:
    op: str
    number: str


@dataclass(frozen=True)
class Interval:
    low: str
    high: str
    low_closed: bool
    high_closed: bool


Test = Lit | Cmp | Interval


@dataclass(frozen=True)
class Cell:
    tests: tuple[Test, ...] = ()  # empty: any value
    negated: bool = False


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            if text[pos:].lstrip().startswith('"'):
                raise CellError(MSG_CELL_STRING)
            raise CellError(MSG_CELL_SYNTAX)
        kind = str(match.lastgroup)
        value = match.group(kind)
        if kind == "string":
            inner = value[1:-1]
            if _STRING_FORBIDDEN.search(inner) or len(inner) > MAX_STRING:
                raise CellError(MSG_CELL_STRING)
        out.append((kind, value))
        pos = match.end()
    return out


class _Parser:
    """Recursive descent over tokens, for either surface form (``python=True``: stored)."""

    def __init__(self, text: str, *, python: bool) -> None:
        self.tokens = _tokens(text)
        self.pos = 0
        self.python = python

    def peek(self, offset: int = 0) -> tuple[str, str]:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else ("end", "")

    def take(self, kind: str, *values: str) -> str:
        token_kind, value = self.peek()
        if token_kind != kind or (values and value not in values):
            raise CellError(MSG_CELL_SYNTAX)
        self.pos += 1
        return value

    def at(self, kind: str, *values: str) -> bool:
        token_kind, value = self.peek()
        return token_kind == kind and (not values or value in values)

    def done(self) -> None:
        if self.pos != len(self.tokens):
            raise CellError(MSG_CELL_SYNTAX)

    # --- literals

    def literal(self) -> Lit:
        kind, value = self.peek()
        if kind == "number":
            self.pos += 1
            return Lit("number", value)
        if kind == "string":
            self.pos += 1
            return Lit("string", value[1:-1])
        if kind == "name":
            word = value if self.python else value.lower()
            names = {"True": "true", "False": "false"} if self.python else {"true": "true"}
            if not self.python:
                names["false"] = "false"
            if word in names:
                self.pos += 1
                return Lit("bool", names[word])
        raise CellError(MSG_CELL_SYNTAX)

    # --- people's form: tests, not(tests)

    def feel_cell(self) -> Cell:
        if not self.tokens:
            raise CellError(MSG_CELL_SYNTAX)
        if self.at("name") and self.peek()[1].lower() == "not":
            self.pos += 1
            self.take("op", "(")
            tests = self.feel_tests()
            self.take("op", ")")
            self.done()
            return Cell(tests, negated=True)
        tests = self.feel_tests()
        self.done()
        return Cell(tests)

    def feel_tests(self) -> tuple[Test, ...]:
        tests = [self.feel_test()]
        while self.at("op", ","):
            self.pos += 1
            tests.append(self.feel_test())
        return tuple(tests)

    def feel_test(self) -> Test:
        if self.at("op", "<", "<=", ">", ">="):
            op = self.take("op")
            return Cmp(op, self.take("number"))
        if self.at("op", "[", "(", "]"):
            opening = self.take("op")
            low = self.take("number")
            self.take("op", "..")
            high = self.take("number")
            closing = self.take("op", "]", ")", "[")
            return _interval(low, high, opening == "[", closing == "]")
        return self.literal()

    # --- stored form: what table_to_xml writes

    def python_cell(self) -> Cell:
        if self.at("name", "not"):
            self.pos += 1
            self.take("op", "(")
            tests = self.python_question()
            self.take("op", ")")
            self.done()
            return Cell(tests, negated=True)
        if any(token == ("op", "?") for token in self.tokens):
            tests = self.python_question()
            self.done()
            return Cell(tests)
        if self.at("op", "<", "<=", ">", ">="):
            op = self.take("op")
            cell = Cell((Cmp(op, self.take("number")),))
        else:
            cell = Cell((self.literal(),))
        self.done()
        return cell

    def python_question(self) -> tuple[Test, ...]:
        if self.at("op", "?") and self.peek(1) == ("name", "in"):
            self.pos += 2
            self.take("op", "(")
            tests: list[Test] = [self.literal()]
            while self.at("op", ","):
                self.pos += 1
                tests.append(self.literal())
            self.take("op", ")")
            return tuple(tests)
        terms = [self.python_term()]
        while self.at("name", "or"):
            self.pos += 1
            terms.append(self.python_term())
        return tuple(terms)

    def python_term(self) -> Test:
        if self.at("op", "?"):
            self.pos += 1
            op = self.take("op", "==", "<", "<=", ">", ">=")
            if op == "==":
                return self.literal()
            return Cmp(op, self.take("number"))
        low = self.take("number")
        low_op = self.take("op", "<", "<=")
        self.take("op", "?")
        high_op = self.take("op", "<", "<=")
        high = self.take("number")
        return _interval(low, high, low_op == "<=", high_op == "<=")


def _interval(low: str, high: str, low_closed: bool, high_closed: bool) -> Interval:
    lo, hi = Decimal(low), Decimal(high)
    if lo > hi or (lo == hi and not (low_closed and high_closed)):
        raise CellError(MSG_CELL_RANGE)
    return Interval(low, high, low_closed, high_closed)


def _is_any(text: str) -> bool:
    return text.strip() in ("", "-")


def cell_parse(text: str, *, type_ref: str = "") -> Cell:
    """Parse what a person typed; raise ``CellError`` unless it is in the safe subset and
    fits the column's type."""
    if _is_any(text):
        return Cell()
    cell = _Parser(text, python=False).feel_cell()
    _check_type(cell, type_ref)
    return cell


def cell_from_python(text: str | None) -> Cell:
    """Parse a stored cell (the engine's form); raise ``CellError`` for anything we did not
    write ourselves (a hand-written table) so it is shown as typed and must be fixed."""
    if text is None or _is_any(text):
        return Cell()
    return _Parser(text, python=True).python_cell()


def _check_type(cell: Cell, type_ref: str) -> None:
    kinds = {
        (t.kind if isinstance(t, Lit) else "number") for t in cell.tests
    }  # comparisons and ranges are numeric
    if type_ref in BOOLEAN_TYPES and kinds - {"bool"}:
        raise CellError(MSG_CELL_BOOLEAN)
    if type_ref in STRING_TYPES and kinds - {"string"}:
        raise CellError(MSG_CELL_TEXT)
    if type_ref in NUMBER_TYPES and kinds - {"number"}:
        raise CellError(MSG_CELL_NUMBER)


def _feel_test(test: Test) -> str:
    if isinstance(test, Cmp):
        return f"{test.op} {test.number}"
    if isinstance(test, Interval):
        opening = "[" if test.low_closed else "("
        closing = "]" if test.high_closed else ")"
        return f"{opening}{test.low}..{test.high}{closing}"
    if test.kind == "string":
        return f'"{test.value}"'
    return test.value


def cell_to_feel(cell: Cell) -> str:
    """The cell as people write it (shown in the editor and the diff)."""
    if not cell.tests:
        return "-"
    body = ", ".join(_feel_test(t) for t in cell.tests)
    return f"not({body})" if cell.negated else body


def _py_literal(test: Lit) -> str:
    if test.kind == "bool":
        return "True" if test.value == "true" else "False"
    if test.kind == "string":
        return f'"{test.value}"'
    return test.value


def _py_term(test: Test) -> str:
    if isinstance(test, Lit):
        return f"? == {_py_literal(test)}"
    if isinstance(test, Cmp):
        return f"? {test.op} {test.number}"
    low_op = "<=" if test.low_closed else "<"
    high_op = "<=" if test.high_closed else "<"
    return f"{test.low} {low_op} ? {high_op} {test.high}"


def _py_question(tests: tuple[Test, ...]) -> str:
    if len(tests) > 1 and all(isinstance(t, Lit) for t in tests):
        return "? in (" + ", ".join(_py_literal(t) for t in tests if isinstance(t, Lit)) + ")"
    return " or ".join(_py_term(t) for t in tests)


def cell_to_python(cell: Cell) -> str:
    """The Python the engine evaluates for this cell (``?`` is the input's value)."""
    if not cell.tests:
        return "-"
    if cell.negated:
        return f"not ({_py_question(cell.tests)})"
    if len(cell.tests) == 1:
        test = cell.tests[0]
        if isinstance(test, Lit):
            return _py_literal(test)
        if isinstance(test, Cmp):
            return f"{test.op} {test.number}"
    return _py_question(cell.tests)


def output_to_python(value: str) -> str:
    """An output text as a Python string literal (checked by parsing it back)."""
    literal = json.dumps(value, ensure_ascii=False)
    if ast.literal_eval(literal) != value:  # pragma: no cover - json and Python agree
        raise CellError(MSG_CELL_STRING)
    return literal


# --- tables


@dataclass
class Column:
    id: str
    label: str
    type_ref: str
    expression: str = ""  # inputs: the fact the column tests
    name: str = ""  # outputs: the variable it sets
    expression_id: str = ""


@dataclass
class Row:
    id: str
    description: str = ""
    inputs: list[str] = field(default_factory=list)  # people's form
    outputs: dict[str, str] = field(default_factory=dict)  # output name -> text

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "description": self.description,
            "inputs": list(self.inputs),
            "outputs": dict(self.outputs),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Row:
        return cls(
            id=str(data.get("id", "")),
            description=str(data.get("description", "")),
            inputs=[str(v) for v in data.get("inputs", [])],
            outputs={str(k): str(v) for k, v in dict(data.get("outputs", {})).items()},
        )


@dataclass
class Table:
    definitions_id: str
    definitions_name: str
    namespace: str
    decision_id: str
    decision_name: str
    table_id: str
    hit_policy: str
    inputs: list[Column]
    outputs: list[Column]
    rows: list[Row]

    @property
    def editable_outputs(self) -> list[Column]:
        """Outputs a person fills in: the rule id output is the row's own id."""
        return [c for c in self.outputs if c.name != RULE_ID_OUTPUT]

    def structural_ids(self) -> set[str]:
        ids = {self.definitions_id, self.decision_id, self.table_id}
        for column in self.inputs + self.outputs:
            ids |= {column.id, column.expression_id}
        return ids - {""}


def _q(tag: str) -> str:
    return f"{{{DMN_NS}}}{tag}"


def _xml(text: str) -> Any:
    return etree.fromstring(
        text.encode(), parser=etree.XMLParser(resolve_entities=False, no_network=True)
    )


def _output_value(text: str | None) -> str:
    if not text:
        return ""
    try:
        value = ast.literal_eval(text)  # literals only: never runs code
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text
    return value if isinstance(value, str) else text


def table_parse(dmn_xml: str) -> Table:
    """Read the one decision table of ``dmn_xml`` into columns and rows (cells in people's
    form; a cell we cannot read is kept as typed, so saving it shows the error)."""
    try:
        root = _xml(dmn_xml)
    except etree.XMLSyntaxError as exc:
        raise ValidationError(MSG_NOT_EDITABLE, code="not_editable") from exc
    decisions = root.findall(_q("decision"))
    tables = decisions[0].findall(_q("decisionTable")) if len(decisions) == 1 else []
    if len(tables) != 1:
        raise ValidationError(MSG_NOT_EDITABLE, code="not_editable")
    decision, node = decisions[0], tables[0]
    hit_policy = node.get("hitPolicy", "UNIQUE").upper()
    if hit_policy not in HIT_POLICIES:
        raise ValidationError(MSG_NOT_EDITABLE, code="not_editable")
    inputs = []
    for element in node.findall(_q("input")):
        expression = element.find(_q("inputExpression"))
        inputs.append(
            Column(
                id=element.get("id", ""),
                label=element.get("label", ""),
                type_ref=(expression.get("typeRef", "") if expression is not None else ""),
                expression=(expression.findtext(_q("text")) or "").strip()
                if expression is not None
                else "",
                expression_id=expression.get("id", "") if expression is not None else "",
            )
        )
    outputs = [
        Column(
            id=e.get("id", ""),
            label=e.get("label", ""),
            type_ref=e.get("typeRef", ""),
            name=e.get("name", ""),
        )
        for e in node.findall(_q("output"))
    ]
    rows = []
    for element in node.findall(_q("rule")):
        cells = []
        for entry in element.findall(_q("inputEntry")):
            text = entry.findtext(_q("text"))
            try:
                cells.append(cell_to_feel(cell_from_python(text)))
            except CellError:
                cells.append(text or "")
        values = [_output_value(e.findtext(_q("text"))) for e in element.findall(_q("outputEntry"))]
        rows.append(
            Row(
                id=element.get("id", ""),
                description=(element.findtext(_q("description")) or "").strip(),
                inputs=cells,
                outputs={
                    c.name: v
                    for c, v in zip(outputs, values, strict=False)
                    if c.name != RULE_ID_OUTPUT
                },
            )
        )
    return Table(
        definitions_id=root.get("id", "Definitions"),
        definitions_name=root.get("name", ""),
        namespace=root.get("namespace", "https://yiwang.example/dmn"),
        decision_id=decision.get("id", ""),
        decision_name=decision.get("name", ""),
        table_id=node.get("id", "") or f"{decision.get('id', '')}_table",
        hit_policy=hit_policy,
        inputs=inputs,
        outputs=outputs,
        rows=rows,
    )


def table_to_xml(table: Table, *, version_tag: str = "") -> str:
    """DMN 1.3 XML for ``table`` (cells must have passed ``cell_parse``): what the engine
    runs and what a standard DMN modeler opens."""
    nsmap = {None: DMN_NS, "camunda": CAMUNDA_DMN_NS}
    root = etree.Element(
        _q("definitions"),
        nsmap=nsmap,
        id=table.definitions_id,
        name=table.definitions_name,
        namespace=table.namespace,
    )
    decision = etree.SubElement(
        root, _q("decision"), id=table.decision_id, name=table.decision_name
    )
    if version_tag:
        decision.set(f"{{{CAMUNDA_DMN_NS}}}versionTag", version_tag)
    node = etree.SubElement(decision, _q("decisionTable"), id=table.table_id)
    node.set("hitPolicy", table.hit_policy)
    for column in table.inputs:
        element = etree.SubElement(node, _q("input"), id=column.id, label=column.label)
        expression = etree.SubElement(
            element, _q("inputExpression"), id=column.expression_id or f"{column.id}_expr"
        )
        if column.type_ref:
            expression.set("typeRef", column.type_ref)
        etree.SubElement(expression, _q("text")).text = column.expression
    for column in table.outputs:
        element = etree.SubElement(node, _q("output"), id=column.id, label=column.label)
        element.set("name", column.name)
        if column.type_ref:
            element.set("typeRef", column.type_ref)
    for row in table.rows:
        rule = etree.SubElement(node, _q("rule"), id=row.id)
        if row.description:
            etree.SubElement(rule, _q("description")).text = row.description
        for index, (column, text) in enumerate(zip(table.inputs, row.inputs, strict=True)):
            entry = etree.SubElement(rule, _q("inputEntry"), id=f"{row.id}__in{index}")
            cell = cell_parse(text, type_ref=column.type_ref)
            etree.SubElement(entry, _q("text")).text = cell_to_python(cell)
        for index, column in enumerate(table.outputs):
            entry = etree.SubElement(rule, _q("outputEntry"), id=f"{row.id}__out{index}")
            value = row.id if column.name == RULE_ID_OUTPUT else row.outputs.get(column.name, "")
            etree.SubElement(entry, _q("text")).text = output_to_python(value)
    return str(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()
    )


def table_cells_safe(dmn_xml: str) -> bool:
    """Every input cell of every rule is in the safe subset and every output is a plain
    string literal (checked again before a table is installed)."""
    root = _xml(dmn_xml)
    for entry in root.iter(_q("inputEntry")):
        try:
            cell_from_python(entry.findtext(_q("text")))
        except CellError:
            return False
    for entry in root.iter(_q("outputEntry")):
        text = entry.findtext(_q("text")) or ""
        try:
            if not isinstance(ast.literal_eval(text), str):
                return False
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return False
    return True


# --- evaluation through the engine adapter


@dataclass
class Evaluation:
    rule_ids: list[str]
    outputs: dict[str, Any]


def table_evaluate(*, bpmn_xml: str, dmn_xml: str, data: dict[str, Any]) -> Evaluation:
    """Run the process's business rule task's decision table on ``data`` with the engine
    (SpiffWorkflow's DMN engine and the platform's script engine), without starting a
    workflow or touching the database."""
    from yiwang.applications.engine.definitions import process_parse
    from yiwang.applications.engine.runtime import YiwangScriptEngine

    spec = process_parse(bpmn_xml, dmn_xml).spec
    engines = [
        s.dmnEngine for s in spec.task_specs.values() if getattr(s, "dmnEngine", None) is not None
    ]
    task = SimpleNamespace(
        data=dict(data),
        workflow=SimpleNamespace(script_engine=YiwangScriptEngine()),
        task_spec=None,
        id=None,
    )
    try:
        matched = [str(rule.id) for rule in engines[0].decide(task)] if engines else []
        outputs = dict(engines[0].result(task)) if engines else {}
    except Exception as exc:  # the engine wraps anything the expression raised
        raise ValidationError(
            MSG_EVALUATE_FAILED, code="evaluate_failed", params={"error": str(exc)[:200]}
        ) from exc
    return Evaluation(rule_ids=matched, outputs=outputs)
