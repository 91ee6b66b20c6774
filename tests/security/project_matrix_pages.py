"""Rows of the funded projects' authorization matrix (see test_authorization_matrix_projects.py).
(url name, kwargs key, method, expected by role)."""

from tests.security.project_roles import *  # noqa: F403  (role names and row builders)

ROWS: list = []
