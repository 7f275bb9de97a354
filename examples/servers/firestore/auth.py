"""One fixed identity for every request: the Firestore runtime scopes its data by user."""

from langgraph_sdk import Auth

auth = Auth()


@auth.authenticate
async def authenticate() -> str:
    return "conformance-suite"
