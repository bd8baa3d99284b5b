"""Spreadsheet imports of action plans: outputs, and quarterly status updates.

One code path serves the management commands and the upload pages, on the project's CSV import
engine (`leeds_communities/csvimport.py`, which the indicator import uses too):

    result = read_outputs(content, filename="plan.csv", actor=user, create_missing=False)
    if result.errors: ...         # every bad row, with its CSV line number (the header is line 1)
    result.to_create / result.to_update / result.unchanged   # what applying would do
    result.apply()                # all-or-nothing, in one transaction, with an audit row

With `create_missing=True`, `board=` names the board that owns the programmes and plans created
for rows whose `board` column is empty (or absent).

Reading never writes. `apply()` refuses a result with errors, writes through the services in
`actionplans/services.py`, and any failure while applying rolls the whole import back.
"""

from actionplans.imports.common import (
    OUTPUTS,
    STATUS_UPDATES,
    ImportResult,
    PlannedRow,
    boards_by_name,
)
from actionplans.imports.outputs import OPTIONAL_OUTPUT_COLUMNS, OUTPUT_COLUMNS, read_outputs
from actionplans.imports.status_updates import (
    RETURN_DETAIL_COLUMNS,
    STATUS_UPDATE_COLUMNS,
    read_status_updates,
)
from leeds_communities.csvimport import (
    DEFAULT_IMPORT_USERNAME,
    MAX_UPLOAD_BYTES,
    ImportFailed,
    ImportUserError,
    RowError,
    import_user,
)

__all__ = [
    "DEFAULT_IMPORT_USERNAME",
    "MAX_UPLOAD_BYTES",
    "OPTIONAL_OUTPUT_COLUMNS",
    "OUTPUTS",
    "OUTPUT_COLUMNS",
    "STATUS_UPDATES",
    "RETURN_DETAIL_COLUMNS",
    "STATUS_UPDATE_COLUMNS",
    "ImportFailed",
    "ImportResult",
    "ImportUserError",
    "PlannedRow",
    "RowError",
    "boards_by_name",
    "import_user",
    "read_outputs",
    "read_status_updates",
]
