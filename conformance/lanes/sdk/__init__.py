"""The SDK lane: scripted steps made through the Python and JS SDKs (the contract lane's runner calls them
through the caller the session gives it).
"""

__all__: list[str] = []
