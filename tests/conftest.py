import os
from pathlib import Path

import pytest


def shared_data_dir() -> Path | None:
    d = os.environ.get("INFMAX_DATA_DIR", "").strip()
    return Path(d) if d and Path(d).is_dir() else None


@pytest.fixture
def data_dir() -> Path:
    """The shared datasets folder; tests that need it skip when INFMAX_DATA_DIR is unset."""
    d = shared_data_dir()
    if d is None:
        pytest.skip("INFMAX_DATA_DIR is not set (CI sets it to ../shared/data)")
    return d
