// One method of @langchain/langgraph-sdk, as a reader of the rollback how-to calls it.
// Usage: node call.mjs SDK_DIR < request.json; prints {"returned": value} or {"raised": {...}}.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const sdkDir = process.argv[2];
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const require = createRequire(pathToFileURL(`${sdkDir}/package.json`));
const { Client } = await import(pathToFileURL(require.resolve("@langchain/langgraph-sdk")).href);
// apiKey null: no key from the environment; an API key given to the suite comes as a header.
const client = new Client({ apiUrl: request.url, apiKey: null, defaultHeaders: request.headers });

const calls = {
  "runs.create": () => client.runs.create(request.thread_id, request.assistant_id, {
    input: request.body.input,
    config: request.body.config,
    metadata: request.body.metadata,
    multitaskStrategy: request.body.multitask_strategy,
  }),
  "run.start": async () => {
    const thread = client.threads.stream(request.thread_id, { assistantId: request.assistant_id });
    try {
      return await thread.run.start({
        input: request.body.input,
        config: request.body.config,
        metadata: request.body.metadata,
        multitaskStrategy: request.body.multitask_strategy,
      });
    } finally {
      await thread.close();
    }
  },
  "runs.get": () => client.runs.get(request.thread_id, request.run_id),
  "runs.join": () => client.runs.join(request.thread_id, request.run_id),
  "threads.get_state": () => client.threads.getState(request.thread_id),
};

let outcome;
try {
  outcome = { returned: (await calls[request.method]()) ?? null };
} catch (error) {
  const status = typeof error?.status === "number" ? error.status : null;
  const code = typeof error?.code === "string" ? ` [${error.code}]` : "";  // a ProtocolError names its code
  outcome = { raised: { raised: error?.constructor?.name ?? String(error?.name), status, message: String(error?.message ?? error) + code } };
}
process.stdout.write(JSON.stringify(outcome));
