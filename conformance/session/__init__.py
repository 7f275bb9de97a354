"""The session: the campaign that admits and runs the lanes' scenarios, the stop logic, the gate and its
verdict, the pytest hooks, the ``clean`` command.
"""

__all__: list[str] = []
