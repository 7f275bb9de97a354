"""The session: the campaign that admits and runs the lanes' scenarios, the stop logic, the gate and its
verdict, the ``clean`` command (the pytest hooks that drive it are ``conformance._hooks``).
"""

__all__: list[str] = []
