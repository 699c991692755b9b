"""docs/ stays true: every audit event type and every role and action is documented."""

import re
from pathlib import Path

import pytest

from cobench.audit.events import Event
from cobench.core.permissions import ROLE_TABLE, Action, Role

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _codes(page: str) -> set[str]:
    """Every `code` in backticks on a docs page."""
    return set(re.findall(r"`([^`\s]+)`", (DOCS / page).read_text()))


@pytest.mark.parametrize("event", list(Event), ids=str)
def test_every_audit_event_is_documented(event):
    assert event.value in _codes("audit-events.md"), f"add `{event.value}` to docs/audit-events.md"


def test_audit_events_page_lists_no_event_that_does_not_exist():
    rows = re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", (DOCS / "audit-events.md").read_text(), re.M)
    assert set(rows) == set(Event.values)


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_role_is_documented(role):
    assert role.value in _codes("permissions.md"), f"add `{role.value}` to docs/permissions.md"


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_every_action_is_documented(action):
    assert action.value in _codes("permissions.md"), f"add `{action.value}` to docs/permissions.md"


def test_permissions_table_matches_the_role_table():
    text = (DOCS / "permissions.md").read_text()
    header = next(line for line in text.splitlines() if line.startswith("| action |"))
    labels = [c.strip() for c in header.strip("|").split("|")][2:]
    by_label = {r.label.lower(): r for r in Role}
    columns = [by_label[label.lower()] for label in labels]
    for action, allowed in ROLE_TABLE.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{action.value}` |"))
        cells = [c.strip() for c in row.strip("|").split("|")][2:]
        documented = {role for role, cell in zip(columns, cells, strict=True) if "✓" in cell}
        assert documented == set(allowed), f"docs/permissions.md row `{action.value}`"


@pytest.mark.parametrize(
    "page", ["architecture.md", "permissions.md", "audit-events.md", "operations.md"]
)
def test_docs_pages_exist(page):
    assert (DOCS / page).read_text().startswith("# ")
