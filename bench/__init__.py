"""``make bench``: what a deployment costs against the engine floor and the minimum number of API calls.

Runs the real Pulumi engine (``harness/``) against a ``python -m sandbox``
subprocess and writes ``bench/results.md``; ``python -m bench --help`` lists the options.
"""
