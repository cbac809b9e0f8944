// The requests jsforce (the Salesforce client the reference integration uses) sends for each
// operation the `salesforce` tools make, captured on a loopback server and written as JSON:
// `[{operation, method, path, query, contentType, body}]`, in order. providers/tests/
// salesforce_contract.rs calls each tool with the same inputs and compares what it sends.
// API version "99.0" is a sentinel the test replaces with its pinned version, so the version
// lives in one place (providers/src/salesforce/client.rs). Needs Node >= 22 (jsforce 3's undici).
// Usage (scripts/contracts.sh): NODE_PATH=target/contracts/node_modules node jsforce_golden.js
const http = require('http');
const jsforce = require('jsforce');

// The ids the stand-in's answers carry and the tools are given.
const RECORD = '001000000000001AAA';
const ATTACHMENT = '00P000000000001AAA';
const DOCUMENT = '069000000000001AAA';
const VERSION = '068000000000001AAA';

const captured = [];
let current = null;
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const url = new URL(req.url, 'http://x');
    captured.push({
      operation: current,
      method: req.method,
      path: url.pathname,
      query: [...url.searchParams.entries()],
      contentType: req.headers['content-type'] || null,
      body: body ? JSON.parse(body) : null,
    });
    // Answers just good enough for jsforce to finish the call.
    res.setHeader('content-type', 'application/json');
    if (url.pathname.endsWith('/composite/sobjects')) return res.end(JSON.stringify([{ id: RECORD, success: true, errors: [] }]));
    if (url.pathname.endsWith('/query')) return res.end(JSON.stringify({ totalSize: 0, done: true, records: [] }));
    if (url.pathname.endsWith('/describe')) return res.end(JSON.stringify({ name: 'Account', fields: [] }));
    if (url.pathname.endsWith('/sobjects')) return res.end(JSON.stringify({ encoding: 'UTF-8', maxBatchSize: 200, sobjects: [] }));
    res.setHeader('content-type', 'application/octet-stream');
    res.end('x');
  });
});

const blob = (stream) => new Promise((resolve) => { stream.on('data', () => {}); stream.on('end', resolve); stream.on('error', resolve); });

// The queries listing a record's attachments: its Attachments, the ContentDocuments linked to
// it, then the latest version of each (the stand-in links DOCUMENT).
const listAttachments = async (conn) => {
  await conn.query(`SELECT Id, Name, ContentType, BodyLength, CreatedDate, CreatedBy.Name FROM Attachment WHERE ParentId = '${RECORD}' ORDER BY CreatedDate DESC`);
  await conn.query(`SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '${RECORD}'`);
  await conn.query(`SELECT Id, Title, FileType, ContentSize, CreatedDate, CreatedBy.Name FROM ContentVersion WHERE ContentDocumentId IN ('${DOCUMENT}') AND IsLatest = true ORDER BY CreatedDate DESC`);
};

server.listen(0, '127.0.0.1', async () => {
  const conn = new jsforce.Connection({ instanceUrl: `http://127.0.0.1:${server.address().port}`, accessToken: 'T', version: '99.0' });
  const run = async (name, f) => { current = name; await f(); };
  await run('execute_read_query', () => conn.query("SELECT Id, Name, Owner.Name FROM Account WHERE Industry = 'Banking' LIMIT 10"));
  await run('list_objects', () => conn.describeGlobal());
  await run('describe_object', () => conn.describe('Account'));
  await run('create_object', () => conn.sobject('Account').create([{ Name: 'Acme' }, { Name: 'Globex', Industry: 'Banking' }], { allOrNone: true }));
  await run('create_object/one', () => conn.sobject('Account').create([{ Name: 'Acme' }], { allOrNone: false }));
  await run('update_object', () => conn.sobject('Account').update([{ Id: RECORD, Name: 'Acme Corp' }, { Id: '001000000000002AAA', Industry: 'Retail' }], { allOrNone: false }));
  await run('list_attachments', () => listAttachments(conn));
  await run('read_attachment/attachment', async () => { await listAttachments(conn); await blob(conn.sobject('Attachment').record(ATTACHMENT).blob('Body')); });
  await run('read_attachment/file', async () => { await listAttachments(conn); await blob(conn.sobject('ContentVersion').record(VERSION).blob('VersionData')); });
  process.stdout.write(JSON.stringify(captured, null, 1));
  server.close();
});
