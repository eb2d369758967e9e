"""The stack program (``__main__.py``) and the per-environment definitions it deploys."""
