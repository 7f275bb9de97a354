#!/usr/bin/env bash
# @langchain/langgraph-api 1.5.1 (npm `latest`; `langgraphjs dev` of @langchain/langgraph-cli 1.5.1, in-memory,
# Node >= 20) serving the JS twin of the fixture graph (fixtures/js), beside js/ (2.0.0, which npm marks
# deprecated): js/start.sh with this folder's package files. Usage: start.sh [DIR]; env PORT. Prints the URL last.
JS_RECIPE=js-1.5 exec "$(dirname "$0")/../js/start.sh" "$@"
