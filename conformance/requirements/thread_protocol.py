"""The thread-centric protocol: commands to ``POST /threads/{id}/commands`` (``run.start`` among them), and the
thread's event stream (``POST /threads/{id}/stream/events``).

What ``run.start`` does to a thread with a run in flight is judged by the double-texting requirements, as on the
classic routes it feeds into; these say what the protocol adds.
"""

from __future__ import annotations

from conformance.requirements._model import PROTOCOL, Level, Requirement

__all__ = ["THREAD_PROTOCOL"]

THREAD_PROTOCOL: tuple[Requirement, ...] = (
    Requirement("CMD-ANSWER-ENVELOPE", Level.MUST,
                "A command is answered HTTP 200 with the protocol's envelope: type success or error, and the "
                "command's id echoed.", PROTOCOL),
    Requirement("CMD-UNKNOWN-METHOD", Level.SHOULD,
                "A command whose method the server does not serve is answered with an error of code "
                "unknown_command.", PROTOCOL),
    Requirement("CMD-RUN-START-RESOLVES", Level.MUST,
                "run.start answers the id of the run it created, and the classic routes resolve it: GET of that run "
                "answers it, and it runs to success.", PROTOCOL),
    Requirement("CMD-REFUSAL-TYPED", Level.INFO,
                "A run.start refused by reject names why with a code of the typed set other than the catch-all "
                "unknown_error (an observation: the typed set has no conflict code).", PROTOCOL),
    Requirement("EVT-RUN-LIFECYCLE", Level.MUST,
                "On the thread's event stream each run that executes opens with one root lifecycle running event and "
                "ends with one root terminal event (completed, failed or interrupted) before the next run's running.",
                PROTOCOL),
    Requirement("EVT-REJECT-SILENT", Level.MUST,
                "A double-text refused by reject adds nothing to the thread's event stream: it shows the first run "
                "alone.", PROTOCOL),
    Requirement("EVT-ROLLBACK-TERMINAL", Level.SHOULD,
                "A run rolled back by a double-text ends on the thread's event stream with a root terminal event "
                "(interrupted or failed: the typed statuses have no 'deleted') before the second run's running.",
                PROTOCOL),
    Requirement("EVT-SEQ-STABLE", Level.MUST,
                "A new connection to the thread's event stream replays the thread's events, each with the seq (and "
                "the event_id) it had on an earlier connection.", PROTOCOL),
    Requirement("EVT-SINCE-RESUMES", Level.MUST,
                "A connection to the thread's event stream with since: N delivers exactly the events after seq N: "
                "none lost, none repeated.", PROTOCOL),
)  # fmt: skip
