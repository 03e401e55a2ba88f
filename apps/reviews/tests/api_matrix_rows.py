"""Permission-matrix rows for the review cycle's API endpoints."""

MATRIX_ROWS: dict = {}
POST_DATA_ROWS: dict = {}
