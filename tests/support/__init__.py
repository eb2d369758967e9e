"""Helpers the tests share (fixtures stay in the ``conftest.py`` files); see each module's docstring."""
