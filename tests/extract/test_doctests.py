"""The extractors' docstring examples run as tests."""
import doctest

import pytest

from cleaner.extract import authors, credits, dates, outlets, title, urls
from cleaner.passes import lang


@pytest.mark.parametrize("module", [authors, credits, dates, outlets, title, urls, lang], ids=lambda m: m.__name__)
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.failed == 0
