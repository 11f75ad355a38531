"""The docstring examples of the extractors, the passes and the card run as tests."""
import doctest

import pytest

from cleaner.extract import authors, credits, dates, outlets, title, urls
from cleaner.passes import boilerplate, lang, model, unicode
from cleaner.passes import title as title_pass
from cleaner.publish import card

MODULES = [authors, credits, dates, outlets, title, urls, lang, boilerplate, model, unicode, title_pass, card]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.failed == 0
