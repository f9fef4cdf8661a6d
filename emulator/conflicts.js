'use strict'
// DynamoDB's transaction conflicts (developer guide, "Transaction conflict handling"; docs/local-store.md): the items
// and ClientRequestTokens of the TransactWriteItems in flight, each held for windowMs, a model of DynamoDB's
// transaction latency. transactions.js holds and releases them and cancels a transaction that meets one; a plain
// write that meets one is rejected (plainWriteItems below names what a plain write touches). Plain reads never look
// here: they read the last committed state, as DynamoDB's GetItem, BatchGetItem, Query and Scan do.
const path = require('path')

const DYNALITE = path.dirname(require.resolve('dynalite/package.json'))
const db = require(path.join(DYNALITE, 'db'))

const PREFIX = 'com.amazonaws.dynamodb.v20120810#'
// The texts of DynamoDB's API reference (TransactionConflictException, CancellationReason, TransactionInProgressException).
const REJECTED = 'Operation was rejected because there is an ongoing transaction for the item'
exports.CONFLICT = { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }
const IN_PROGRESS = 'The transaction with the given request token is already in progress'

/** How long a transaction holds its items, in milliseconds; 0: never (transactions wait their turn, as before). */
exports.windowMs = 25

const held = new Set() // table + NUL + dynalite key of every item of a transaction in flight
const tokens = new Map() // ClientRequestToken of a transaction in flight -> its request's fingerprint

/**
 * Requests rejected or cancelled by a conflict since the emulator started, by operation (PutItem, UpdateItem,
 * DeleteItem, BatchWriteItem, TransactWriteItems, TransactGetItems), all tables together: what the table's
 * TransactionConflict metric counts; and TransactionInProgress, resent tokens of a transaction in flight.
 */
exports.counts = {}

exports.itemId = (tableName, key) => tableName + '\u0000' + key

exports.isHeld = (id) => held.has(id)

/** The fingerprint of the transaction in flight with this token, or undefined. */
exports.tokenInFlight = (token) => tokens.get(token)

/** Holds the items (and the token, if any) until release; the caller has checked that none is held. */
exports.hold = function (ids, token, fingerprint) {
  ids.forEach((id) => held.add(id))
  if (token) tokens.set(token, fingerprint)
}

exports.release = function (ids, token) {
  ids.forEach((id) => held.delete(id))
  if (token) tokens.delete(token)
}

exports.count = function (operation) {
  exports.counts[operation] = (exports.counts[operation] || 0) + 1
}

function error (type, message) {
  const err = new Error(message)
  err.statusCode = 400
  err.body = { __type: PREFIX + type, message }
  return err
}

exports.rejected = () => error('TransactionConflictException', REJECTED)

exports.inProgress = () => error('TransactionInProgressException', IN_PROGRESS)

/** The cancellation DynamoDB answers, with one reason per action; the message lists their codes in action order. */
exports.cancelled = function (reasons) {
  const message = 'Transaction cancelled, please refer cancellation reasons for specific reasons [' +
    reasons.map((reason) => reason.Code).join(', ') + ']'
  // DynamoDB spells this exception's message "Message"; the SDKs read CancellationReasons from it.
  return Object.assign(new Error(message), { statusCode: 400,
    body: { __type: PREFIX + 'TransactionCanceledException', CancellationReasons: reasons, Message: message } })
}

/**
 * The ids of the items a PutItem, UpdateItem, DeleteItem or BatchWriteItem request writes. A part it cannot read
 * (a missing table, a malformed key) names nothing: dynalite then answers the request with its own error.
 */
exports.plainWriteItems = function (store, operation, data, cb) {
  const writes = []
  if (data && typeof data === 'object') {
    if (operation === 'BatchWriteItem') {
      for (const [ tableName, requests ] of Object.entries(Object(data.RequestItems))) {
        if (!Array.isArray(requests)) continue
        for (const request of requests) {
          const { PutRequest: put, DeleteRequest: del } = Object(request)
          writes.push({ tableName, put: Boolean(put), item: put ? Object(put).Item : Object(del).Key })
        }
      }
    }
    else {
      writes.push({ tableName: data.TableName, put: operation === 'PutItem', item: operation === 'PutItem' ? data.Item : data.Key })
    }
  }
  const tableNames = [ ...new Set(writes.map((write) => write.tableName)) ].filter((name) => typeof name === 'string')
  const tables = new Map()
  let pending = tableNames.length
  const done = () => cb(writes.map((write) => {
    const table = tables.get(write.tableName)
    try {
      const invalid = !table || !write.item || (write.put ? db.validateItem(write.item, table) : db.validateKey(write.item, table))
      return invalid ? null : exports.itemId(write.tableName, db.createKey(write.item, table))
    }
    catch {
      return null
    }
  }).filter(Boolean))
  if (!pending) return done()
  for (const name of tableNames) {
    store.getTable(name, false, (err, table) => {
      if (!err) tables.set(name, table)
      if (--pending === 0) done()
    })
  }
}
