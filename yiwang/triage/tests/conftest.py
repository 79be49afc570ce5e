import pytest


@pytest.fixture
def own_model_dir(settings, tmp_path):
    """A VAR_DIR of the test's own, so a retrained model never becomes the one other tests use."""
    from yiwang.triage import model

    settings.VAR_DIR = tmp_path
    yield tmp_path
    model._loaded.clear()
