"""The SKP rows of the role × route table, on their own (independent of other areas' setups)."""

import pytest

import tests.test_access_matrix as matrix
from tests.access import skp as skp_access


@pytest.mark.parametrize("role", matrix.ROLES)
def test_skp_routes_by_role(app, world, role, monkeypatch):
    monkeypatch.setattr(matrix, "table", lambda: (skp_access.ROUTES, [skp_access.setup]))
    matrix.test_route_role_matrix(app, world, role)
