"""Permission-matrix rows for the support API."""

MATRIX_ROWS: dict = {}
POST_DATA_ROWS: dict = {}
