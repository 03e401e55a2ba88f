"""Permission-matrix rows for this app's URLs (merged into tests/test_permission_matrix.py)."""

MATRIX_ROWS: dict = {}
POST_DATA_ROWS: dict = {}
