#!/usr/bin/env node
// Starts dynalite for the local runner and the tests, and ties its life to its parent's:
// the parent holds our stdin, so when the parent exits (even on SIGKILL) stdin ends and we exit too.
// --standalone: a store you run yourself (DYNAMODB_ENDPOINT=... ./run); it runs until Ctrl-C or SIGTERM.
// --transaction-window-ms N: how long a transaction holds its items, so that what meets them conflicts as in
// DynamoDB (docs/local-store.md); default $TRANSACTION_WINDOW_MS, else 25; 0: no conflicts, transactions queue.
// Usage: node emulator/dynalite-server.js [--port N] [--path DIR] [--transaction-window-ms N] [--standalone]
//        (port 0 picks a free one)
'use strict'
// Only our own options, parsed here: a package we do not declare must not be needed.
const argv = { 'transaction-window-ms': process.env.TRANSACTION_WINDOW_MS || '25' }
for (let i = 2; i < process.argv.length; i++) {
  const name = process.argv[i].replace(/^--/, '')
  if (name === 'standalone') {
    argv.standalone = true
  } else if ([ 'port', 'path', 'transaction-window-ms' ].includes(name) && i + 1 < process.argv.length) {
    argv[name] = process.argv[++i]
  } else {
    throw new Error('unknown option or missing value: ' + process.argv[i])
  }
}
const windowMs = argv['transaction-window-ms']
if (!/^\d{1,6}$/.test(windowMs)) {
  throw new Error('--transaction-window-ms (or TRANSACTION_WINDOW_MS) must be a whole number of milliseconds, 0 to 999999: ' + windowMs)
}
const dynalite = require('dynalite')
const transactions = require('./transactions') // adds TransactWriteItems and TransactGetItems (docs/local-store.md)
require('./conflicts').windowMs = Number(windowMs)

// createTableMs 0: tables are ACTIVE at once, so the SDK waiter does not sleep ~20 s.
const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }
if (argv.path) options.path = String(argv.path)

const server = dynalite(options)

// dynalite rethrows a request's 'error' event (index.js: req.on('error', function (err) { throw err })), so a
// client that goes away mid-request (ECONNRESET 'aborted', e.g. an SDK call abandoned at its attempt timeout)
// crashes the whole emulator. Such a request has no one left to answer: drop its error instead.
const [handleRequest] = server.listeners('request')
server.removeAllListeners('request')
server.on('request', (req, res) => {
  const toDynalite = (request) => {
    handleRequest(request, res)
    request.removeAllListeners('error')
    request.on('error', () => {})
  }
  if (!transactions.handle(req, res, toDynalite)) toDynalite(req)
})
server.listen(Number(argv.port || 0), '127.0.0.1', () => {
  // The parent reads this line to learn the port and the window.
  console.log('dynalite listening on port ' + server.address().port + ', transaction window ' + windowMs + ' ms')
})

const stop = () => server.close(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
if (!argv.standalone) {
  process.stdin.on('end', () => process.exit(0))
  process.stdin.on('error', () => process.exit(0))
  process.stdin.resume()
}
