"""skeino's app for the fixture: serves the first graph of langgraph.json (``agent``). Run from the app
directory: ``uvicorn app:app --host 127.0.0.1 --port PORT``."""

from skeino import from_langgraph_json

app = from_langgraph_json("langgraph.json")
