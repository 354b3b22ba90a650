from django.conf import settings
from django.utils import translation

from rutan.core.roles import PERM_LABELS, Perm, matrix_markdown


def test_every_permission_is_described():
    assert set(PERM_LABELS) == set(Perm)


def test_the_committed_matrix_is_the_one_in_the_code():
    with translation.override("id"):
        assert (settings.BASE_DIR / "docs" / "permissions.md").read_text() == matrix_markdown()
