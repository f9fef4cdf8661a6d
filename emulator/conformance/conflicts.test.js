'use strict'
// What the shared cases cannot say about conflicts: the window 0 turns them off, and the emulator's count of them.
// Run by scripts/transaction-conformance.sh (node --test); the rules themselves are transaction-cases.json's.
const test = require('node:test')
const assert = require('node:assert')
const http = require('node:http')
const transactions = require('../transactions')
const conflicts = require('../conflicts')
const dynalite = require('dynalite')

const server = dynalite({ createTableMs: 0 })
const [ handleRequest ] = server.listeners('request')
server.removeAllListeners('request')
server.on('request', (req, res) => transactions.handle(req, res, (request) => handleRequest(request, res)) || handleRequest(req, res))

function call (target, body) {
  return request('POST', { 'x-amz-target': 'DynamoDB_20120810.' + target }, JSON.stringify(body))
}

function request (method, headers, payload) {
  return new Promise((resolve, reject) => {
    const req = http.request({
      port: server.address().port, method, path: method === 'GET' ? '/transaction-conflicts' : '/',
      headers: Object.assign({
        'content-type': 'application/x-amz-json-1.0', 'x-amz-date': '20250101T000000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=x',
      }, headers),
    }, (res) => {
      let text = ''
      res.on('data', (chunk) => { text += chunk })
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

const add = (pk) => ({ TableName: 'counters', Key: { pk: { S: pk } }, UpdateExpression: 'ADD clicks :one',
  ExpressionAttributeValues: { ':one': { N: '1' } } })

test.before(async () => {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  await call('CreateTable', { TableName: 'counters', AttributeDefinitions: [ { AttributeName: 'pk', AttributeType: 'S' } ],
    KeySchema: [ { AttributeName: 'pk', KeyType: 'HASH' } ], BillingMode: 'PAY_PER_REQUEST' })
})
test.after(() => server.close())

test('each conflict is counted by the operation that met it', async () => {
  // The five calls must all meet the first transaction's hold, even on a busy machine.
  conflicts.windowMs = 2500
  const before = (await request('GET', {})).body
  const first = call('TransactWriteItems', { ClientRequestToken: 'counted', TransactItems: [ { Update: add('c#1') } ] })
  await new Promise((resolve) => setTimeout(resolve, 100))
  const answers = await Promise.all([
    call('UpdateItem', add('c#1')),
    call('BatchWriteItem', { RequestItems: { counters: [ { PutRequest: { Item: { pk: { S: 'c#1' } } } } ] } }),
    call('TransactWriteItems', { TransactItems: [ { Update: add('c#1') } ] }),
    call('TransactGetItems', { TransactItems: [ { Get: { TableName: 'counters', Key: { pk: { S: 'c#1' } } } } ] }),
    call('TransactWriteItems', { ClientRequestToken: 'counted', TransactItems: [ { Update: add('c#1') } ] }),
  ])
  assert.strictEqual((await first).status, 200)
  assert.deepStrictEqual(answers.map((answer) => answer.status), [ 400, 400, 400, 400, 400 ])
  const after = (await request('GET', {})).body
  const delta = (name) => (after[name] || 0) - (before[name] || 0)
  assert.deepStrictEqual([ 'UpdateItem', 'BatchWriteItem', 'TransactWriteItems', 'TransactGetItems', 'TransactionInProgress', 'PutItem' ]
    .map(delta), [ 1, 1, 1, 1, 1, 0 ])
})

test('a window of 0 turns conflicts off: what meets a transaction waits its turn', async () => {
  conflicts.windowMs = 0
  const answers = await Promise.all([
    call('TransactWriteItems', { ClientRequestToken: 'off', TransactItems: [ { Update: add('c#2') } ] }),
    call('UpdateItem', add('c#2')),
    call('TransactWriteItems', { TransactItems: [ { Update: add('c#2') } ] }),
    call('TransactWriteItems', { ClientRequestToken: 'off', TransactItems: [ { Update: add('c#2') } ] }),
  ])
  assert.deepStrictEqual(answers.map((answer) => answer.status), [ 200, 200, 200, 200 ])
  const item = await call('GetItem', { TableName: 'counters', Key: { pk: { S: 'c#2' } } })
  assert.strictEqual(item.body.Item.clicks.N, '3')
})
