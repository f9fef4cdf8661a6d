'use strict'
// What the SDKs cannot send: a ClientRequestToken resent after its (here shortened) window, and malformed bodies.
// Run by scripts/transaction-conformance.sh (node --test); TransactionConformanceIT proves a resend inside the window.
const test = require('node:test')
const assert = require('node:assert')
const http = require('node:http')
const transactions = require('../transactions')
const dynalite = require('dynalite')

const server = dynalite({ createTableMs: 0 })
const [ handleRequest ] = server.listeners('request')
server.removeAllListeners('request')
server.on('request', (req, res) => transactions.handle(req, res, (request) => handleRequest(request, res)) || handleRequest(req, res))

function call (target, body) {
  return new Promise((resolve, reject) => {
    const payload = typeof body === 'string' ? body : JSON.stringify(body)
    const req = http.request({
      port: server.address().port, method: 'POST', path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.' + target,
        'x-amz-date': '20250101T000000Z', authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=x',
      },
    }, (res) => {
      let text = ''
      res.on('data', (chunk) => { text += chunk })
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

const ADD = {
  ClientRequestToken: 'token-1',
  TransactItems: [ { Update: { TableName: 'counters', Key: { pk: { S: 'c#1' } }, UpdateExpression: 'ADD clicks :one',
    ExpressionAttributeValues: { ':one': { N: '1' } } } } ],
}

test.before(() => new Promise((resolve) => server.listen(0, '127.0.0.1', resolve)))
test.after(() => server.close())

test('a resent token counts within its window and not after it', async () => {
  // Wide enough for the resend to land inside it on a busy machine (./test runs this beside Maven's build).
  transactions.tokenWindowMs = 1500
  await call('CreateTable', { TableName: 'counters', AttributeDefinitions: [ { AttributeName: 'pk', AttributeType: 'S' } ],
    KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' } ], BillingMode: 'PAY_PER_REQUEST' })
  const clicks = async () => (await call('GetItem', { TableName: 'counters', Key: { pk: { S: 'c#1' } } })).body.Item.clicks.N

  assert.strictEqual((await call('TransactWriteItems', ADD)).status, 200)
  assert.strictEqual((await call('TransactWriteItems', ADD)).status, 200)
  assert.strictEqual(await clicks(), '1')

  await new Promise((resolve) => setTimeout(resolve, 1600))
  assert.strictEqual((await call('TransactWriteItems', ADD)).status, 200)
  assert.strictEqual(await clicks(), '2')
})

test('malformed transactions are answered 400 and the emulator keeps serving', async () => {
  const malformed = [ 'null', '[]', '"x"', '{}', '{"TransactItems":"x"}', '{"TransactItems":[1]}', '{"TransactItems":[null]}',
    '{"TransactItems":[{"Put":5}]}', '{"TransactItems":[{"Put":{}}]}', '{"TransactItems":[{"Update":{"TableName":"counters"}}]}' ]
  for (const target of [ 'TransactWriteItems', 'TransactGetItems' ]) {
    for (const body of malformed) {
      const answer = await call(target, body)
      assert.strictEqual(answer.status, 400, target + ' ' + body + ': ' + JSON.stringify(answer.body))
      assert.match(answer.body.__type, /SerializationException|ValidationException/)
    }
  }
  assert.strictEqual((await call('ListTables', {})).status, 200)
})
