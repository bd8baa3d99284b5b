"""Each app's permission matrix: rows of (url name, args, query, method, status per persona).

`tests/test_permissions.py` collects every `MATRIX` in `tests/**/test_permissions*.py` and fails
when a URL name has no row; each module runs its rows with its own data through `over_matrix`.
"""

import pytest

from tests.conftest import PERSONAS

# An output's lead agency (its officers) and governance support; the public is sent to sign in.
LEAD_AGENCY = {
    "anonymous": 302,
    "officer": 200,
    "other_agency_officer": 403,
    "chair": 403,
    "scrutiny_member": 403,
    "governance_support": 200,
}


def _row_id(row) -> str:
    name, args, query, method, _ = row
    return f"{name}{query}-{method}-{'-'.join(map(str, args))}"


def over_matrix(matrix):
    """Run the decorated test for every persona and every row of `matrix`."""

    def decorate(test):
        rows = pytest.mark.parametrize(
            ("name", "args", "query", "method", "expected"),
            matrix,
            ids=[_row_id(row) for row in matrix],
        )
        return pytest.mark.parametrize("persona", PERSONAS)(rows(test))

    return decorate
