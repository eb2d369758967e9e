"""Local emulators of the Opsgenie, iMBRACE and Omni schedule APIs (``python -m sandbox``)."""
