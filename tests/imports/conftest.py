import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded files go to a throwaway directory, not the project's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
