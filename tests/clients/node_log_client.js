// Drives @alicloud/log (npm) against the emulator; prints one JSON line of what it saw.
// Run: NODE_PATH=<node_modules> node --require ./resolve_emulator.js node_log_client.js
'use strict';
const SLS = require('@alicloud/log');

const client = new SLS({
  accessKeyId: process.env.SLS_ACCESS_KEY_ID,
  accessKeySecret: process.env.SLS_ACCESS_KEY_SECRET,
  // 127.0.0.1:PORT, or the emulator's --server-name (sls.local:PORT) listed in SLS_EMULATOR_HOSTS
  endpoint: `http://${process.env.SLS_HOST || '127.0.0.1'}:${process.env.SLS_PORT}`,
});

async function errorOf(call) {
  try {
    await call();
  } catch (e) {
    return { code: e.code, name: e.name, message: e.message };
  }
  return null;
}

async function main() {
  const out = {};
  const project = 'node-log';
  out.createProject = await client.createProject(project, { description: 'made by @alicloud/log' });
  out.duplicate = await errorOf(() => client.createProject(project, { description: 'again' }));
  out.description = (await client.getProject(project)).description;
  await client.createLogStore(project, 'app', { ttl: 7, shardCount: 2 });
  out.logstores = (await client.listLogStore(project, {})).logstores;
  await client.createIndex(project, 'app', {
    line: { token: [' ', ','], caseSensitive: false },
    keys: { level: { type: 'text', token: [' '], doc_value: true } },
  });
  const now = Math.floor(Date.now() / 1000);
  const logs = [];
  for (let i = 0; i < 20; i++) {
    logs.push({ timestamp: now, content: { level: i % 4 === 0 ? 'error' : 'info', seq: String(i), msg: `hello ${i}` } });
  }
  out.post = await client.postLogStoreLogs(project, 'app', { logs, topic: 'node', source: 'test', tags: [{ side: 'js' }] });
  const from = new Date((now - 300) * 1000);
  const to = new Date((now + 300) * 1000);
  // The index is filled in the background: ask until it has all 20 (bounded by the test's timeout).
  let errors = [];
  for (let attempt = 0; attempt < 200; attempt++) {
    const total = await client.getLogs(project, 'app', from, to, { query: '*' });
    if (total.length === 20) {
      errors = await client.getLogs(project, 'app', from, to, { query: 'level: error' });
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  out.errors = errors.map((log) => ({
    seq: log.seq, level: log.level, topic: log.__topic__, source: log.__source__, tag: log['__tag__:side'],
  })).sort((a, b) => Number(a.seq) - Number(b.seq));
  const histograms = await client.getHistograms(project, 'app', from, to, { query: 'level: info' });
  out.histogramCount = histograms.reduce((sum, bucket) => sum + bucket.count, 0);
  out.sql = await client.getLogs(project, 'app', from, to, { query: '* | select level, count(*) as n group by level order by level' });
  out.update = await client.updateLogStore(project, 'app', { ttl: 9, shardCount: 2 });
  out.ttl = (await client.getLogStore(project, 'app')).ttl;
  out.indexKeys = Object.keys((await client.getIndexConfig(project, 'app')).keys);
  out.missingProject = await errorOf(() => client.getProject('no-such-project'));
  out.missingLogstore = await errorOf(() => client.getLogStore(project, 'no-such-logstore'));
  await client.deleteLogStore(project, 'app');
  out.afterDelete = (await client.listLogStore(project, {})).logstores;
  out.deleteProject = await client.deleteProject(project);
  out.deleted = await errorOf(() => client.getProject(project));
  return out;
}

main().then(
  (out) => console.log(JSON.stringify(out)),
  (e) => { console.error('FAILED', e); process.exit(1); },
);
