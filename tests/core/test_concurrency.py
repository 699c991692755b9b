"""A change names the version it was based on; another one is refused as stale."""

import pytest

from cobench.core.concurrency import check_version
from cobench.core.errors import StaleVersion


def test_a_change_based_on_the_stored_version_passes():
    check_version(current=3, expected=3)


def test_a_change_that_names_no_version_is_not_checked():
    check_version(current=3, expected=None)


def test_a_change_based_on_an_older_version_is_stale():
    with pytest.raises(StaleVersion) as caught:
        check_version(current=4, expected=3)
    assert (caught.value.expected, caught.value.current) == (3, 4)
    assert "you edited version 3, the current one is 4" in caught.value.detail
