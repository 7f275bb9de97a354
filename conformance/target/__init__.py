"""What talks to the target or starts it: HTTP, streams, the probe (capacity, holds, liveness), replicas,
the embedded reference server. Imports the core (and the scenarios' transcripts, for the fixture's answer).
"""

__all__: list[str] = []
