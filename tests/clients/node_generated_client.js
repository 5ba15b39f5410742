// Drives the generated OpenAPI SDK @alicloud/sls20201230 (npm) against the emulator.
// Run: NODE_PATH=<node_modules> node --require ./resolve_emulator.js node_generated_client.js
//
// Two calls of this SDK version cannot reach any server and are left out: putLogs fails inside
// the client (its gateway has no protobuf request bodies) and pullLogs leaves the project out of
// the host name. The test writes the logs with our SDK (project SLS_SEEDED, logstore "seeded").
'use strict';
const Sls = require('@alicloud/sls20201230');
const { Config } = require('@alicloud/openapi-core').$OpenApiUtil;

const Client = Sls.default;
const client = new Client(new Config({
  accessKeyId: process.env.SLS_ACCESS_KEY_ID,
  accessKeySecret: process.env.SLS_ACCESS_KEY_SECRET,
  endpoint: `127.0.0.1:${process.env.SLS_PORT}`,
  protocol: 'http',
}));

async function errorOf(call) {
  try {
    await call();
  } catch (e) {
    return { code: e.code, statusCode: e.statusCode };
  }
  return null;
}

async function main() {
  const out = {};
  const project = 'node-generated';
  const seeded = process.env.SLS_SEEDED;
  // CreateProject goes to the service host with the name in the body; v1 signed with hmac-sha256.
  await client.createProject(new Sls.CreateProjectRequest({ projectName: project, description: 'generated' }));
  out.duplicate = await errorOf(() => client.createProject(new Sls.CreateProjectRequest({ projectName: project, description: 'x' })));
  out.description = (await client.getProject(project)).body.description;
  out.projects = (await client.listProject(new Sls.ListProjectRequest({}))).body.projects.map((p) => p.projectName).sort();
  await client.createLogStore(project, new Sls.CreateLogStoreRequest({ logstoreName: 'app', shardCount: 1, ttl: 7 }));
  out.logstores = (await client.listLogStores(project, new Sls.ListLogStoresRequest({}))).body.logstores;
  await client.updateLogStore(project, 'app', new Sls.UpdateLogStoreRequest({ logstoreName: 'app', ttl: 9, shardCount: 1 }));
  out.ttl = (await client.getLogStore(project, 'app')).body.ttl;
  await client.updateProject(project, new Sls.UpdateProjectRequest({ description: 'changed' }));
  out.changed = (await client.getProject(project)).body.description;
  const cursor = (await client.getCursor(seeded, 'seeded', '0', new Sls.GetCursorRequest({ from: 'begin' }))).body.cursor;
  out.cursor = typeof cursor === 'string' && cursor.length > 0;
  const now = Math.floor(Date.now() / 1000);
  const query = 'level: error';
  const logs = (await client.getLogs(seeded, 'seeded', new Sls.GetLogsRequest({ from: now - 300, to: now + 300, query }))).body;
  out.logs = logs.map((log) => log.seq).sort((a, b) => a - b);
  const v2 = (await client.getLogsV2(seeded, 'seeded', new Sls.GetLogsV2Request({ from: now - 300, to: now + 300, query }))).body;
  out.v2 = { seqs: v2.data.map((log) => log.seq).sort((a, b) => a - b), count: v2.meta.count, progress: v2.meta.progress };
  out.missingProject = await errorOf(() => client.getProject('no-such-project'));
  out.missingLogstore = await errorOf(() => client.getLogStore(project, 'no-such-logstore'));
  await client.deleteLogStore(project, 'app');
  await client.deleteProject(project, new Sls.DeleteProjectRequest({}));
  out.deleted = await errorOf(() => client.getProject(project));
  return out;
}

main().then(
  (out) => console.log(JSON.stringify(out)),
  (e) => { console.error('FAILED', e); process.exit(1); },
);
