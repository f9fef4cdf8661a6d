'use strict'
// TransactWriteItems and TransactGetItems for the pinned dynalite 4.0.0, which has neither (docs/local-store.md).
// Built from dynalite's own modules: its request validations and expression parser, its key and condition code,
// and its PutItem/UpdateItem/DeleteItem/GetItem actions, run against a staging view of the store, so a
// transaction's writes behave exactly as the same plain writes would. Isolation comes from dynalite's own
// per-table item locks, the ones its plain writes take: every item of a transaction stays locked from reading
// its current value to committing, so no other write interleaves, and all writes land in one atomic batch.
// Conflicts as DynamoDB has them (conflicts.js): a transaction holds its items for the transaction window before it
// commits; whatever meets a held item is rejected at once, not queued.
const crypto = require('crypto')
const path = require('path')
const { Readable } = require('stream')
const conflicts = require('./conflicts')

const DYNALITE = path.dirname(require.resolve('dynalite/package.json'))
const fromDynalite = (module) => require(path.join(DYNALITE, module))
const crc32 = require(require.resolve('buffer-crc32', { paths: [ DYNALITE ] }))
const db = fromDynalite('db')
const validations = fromDynalite('validations')

const ACTIONS = {
  Put: fromDynalite('actions/putItem'),
  Update: fromDynalite('actions/updateItem'),
  Delete: fromDynalite('actions/deleteItem'),
  Get: fromDynalite('actions/getItem'),
}
// Each transaction action is validated as the single-item request it resembles (a ConditionCheck as a
// conditional DeleteItem that deletes nothing).
const SINGLE = {
  Put: fromDynalite('validations/putItem'),
  Update: fromDynalite('validations/updateItem'),
  Delete: fromDynalite('validations/deleteItem'),
  ConditionCheck: fromDynalite('validations/deleteItem'),
  Get: fromDynalite('validations/getItem'),
}
const WRITE_KINDS = [ 'ConditionCheck', 'Put', 'Delete', 'Update' ]
const MAX_ACTIONS = 100
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024
const MAX_REQUEST_BYTES = 16 * 1024 * 1024 // dynalite's own limit
const PREFIX = 'com.amazonaws.dynamodb.v20120810#'
const NONE = { Code: 'None' }

// dynalite keeps its store private to its request handler; remember it as dynalite creates it.
let store
const createStore = db.create
db.create = function () {
  store = createStore.apply(this, arguments)
  return store
}

// ClientRequestToken -> the request it committed; a token counts for 10 minutes after its transaction completed.
const tokens = new Map()
exports.tokenWindowMs = 10 * 60 * 1000

function forgetExpiredTokens () {
  // Insertion order is completion order: expired tokens are at the front.
  for (const [ token, seen ] of tokens) {
    if (Date.now() - seen.completedAt < exports.tokenWindowMs) return
    tokens.delete(token)
  }
}

const PLAIN_WRITES = new Set([ 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem' ])

/**
 * Answers the request and returns true if it is a transaction, a plain write while a transaction is in flight
 * (passed on to forward(request), dynalite's handler, unless it meets a held item), or GET /transaction-conflicts;
 * returns false to leave it to dynalite.
 */
exports.handle = function (req, res, forward) {
  const target = String(req.headers['x-amz-target'] || '')
  const name = target.replace(/^DynamoDB_20120810\./, '')
  const operation = name === 'TransactWriteItems' ? transactWriteItems : name === 'TransactGetItems' ? transactGetItems : null
  if (req.method === 'GET' && req.url === '/transaction-conflicts') {
    // The table's TransactionConflict metric, as the emulator counts it (docs/local-store.md): for benchmarks.
    req.resume()
    res.contentType = 'application/json'
    send(res, 200, conflicts.counts)
    return true
  }
  if (req.method !== 'POST' || !store || name === target) return false
  if (!operation && !(PLAIN_WRITES.has(name) && conflicts.windowMs > 0)) return false
  readBody(req, res, (body) => {
    res.setHeader('x-amzn-RequestId', crypto.randomBytes(39).toString('base64').toUpperCase().replace(/[+/]/g, '0'))
    const contentType = String(req.headers['content-type'] || '').split(';')[0].trim()
    res.contentType = contentType === 'application/x-amz-json-1.0' ? contentType : 'application/json'
    let data
    try {
      data = JSON.parse(body.toString())
    }
    catch {
      data = null
    }
    if (!operation) return checkPlainWrite(name, data, req, body, res, forward)
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      return send(res, 400, { __type: 'com.amazon.coral.service#SerializationException' })
    }
    const answer = (err, body) => {
      if (err && err.statusCode) return send(res, err.statusCode, err.body)
      // Our own bug: answer it as DynamoDB answers its internal errors rather than stop the emulator.
      if (err) return send(res, 500, { __type: PREFIX + 'InternalServerError', message: String(err.stack) })
      send(res, 200, body)
    }
    try {
      operation(data, answer)
    }
    catch (err) {
      answer(err)
    }
  })
  return true
}

function readBody (req, res, cb) {
  const chunks = []
  let bytes = 0
  req.on('error', () => {}) // a client gone mid-request has no one left to answer
  req.on('data', (chunk) => {
    bytes += chunk.length
    if (bytes <= MAX_REQUEST_BYTES) return chunks.push(chunk)
    req.removeAllListeners('data').removeAllListeners('end').resume()
    res.statusCode = 413 // as dynalite answers an oversized request
    res.end()
  })
  req.on('end', () => cb(Buffer.concat(chunks)))
}

/**
 * A plain write meeting an item a transaction holds is rejected before dynalite sees it, so it never waits on
 * dynalite's item lock; any other goes to dynalite as it came (its validations and answers unchanged).
 */
function checkPlainWrite (name, data, req, body, res, forward) {
  conflicts.plainWriteItems(store, name, data, (ids) => {
    if (ids.some(conflicts.isHeld)) {
      conflicts.count(name)
      const rejected = conflicts.rejected()
      return send(res, rejected.statusCode, rejected.body)
    }
    const again = Readable.from([ body ])
    Object.assign(again, { headers: req.headers, method: req.method, url: req.url })
    forward(again)
  })
}

function send (res, statusCode, data) {
  const body = JSON.stringify(data)
  res.statusCode = statusCode
  res.setHeader('x-amz-crc32', crc32.unsigned(body))
  res.setHeader('Content-Type', res.contentType)
  res.setHeader('Content-Length', Buffer.byteLength(body, 'utf8'))
  res.end(body)
}

function error (type, message) {
  const err = new Error(message)
  err.statusCode = 400
  err.body = { __type: PREFIX + type, message }
  return err
}

// The members of a single-item request's types that a transaction action of that kind accepts.
function actionTypes (kind, names, required) {
  const children = {}
  for (const name of names) children[name] = Object.assign({}, SINGLE[kind].types[name] || { type: 'String' })
  for (const name of required) children[name].notNull = true
  if (kind !== 'Get') children.ReturnValuesOnConditionCheckFailure = { type: 'String', enum: [ 'ALL_OLD', 'NONE' ] }
  return { type: 'FieldStruct<' + kind + '>', children }
}
const EXPRESSION = [ 'ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues' ]
const CAPACITY = { type: 'String', enum: [ 'INDEXES', 'TOTAL', 'NONE' ] }
const WRITE_TYPES = {
  ReturnConsumedCapacity: CAPACITY,
  ReturnItemCollectionMetrics: { type: 'String', enum: [ 'SIZE', 'NONE' ] },
  ClientRequestToken: { type: 'String', lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 36 },
  TransactItems: {
    type: 'List',
    notNull: true,
    children: {
      type: 'ValueStruct<TransactWriteItem>',
      children: {
        ConditionCheck: actionTypes('ConditionCheck', [ 'TableName', 'Key' ].concat(EXPRESSION), [ 'TableName', 'Key', 'ConditionExpression' ]),
        Put: actionTypes('Put', [ 'TableName', 'Item' ].concat(EXPRESSION), [ 'TableName', 'Item' ]),
        Delete: actionTypes('Delete', [ 'TableName', 'Key' ].concat(EXPRESSION), [ 'TableName', 'Key' ]),
        Update: actionTypes('Update', [ 'TableName', 'Key', 'UpdateExpression' ].concat(EXPRESSION), [ 'TableName', 'Key', 'UpdateExpression' ]),
      },
    },
  },
}
const GET_TYPES = {
  ReturnConsumedCapacity: CAPACITY,
  TransactItems: {
    type: 'List',
    notNull: true,
    children: {
      type: 'ValueStruct<TransactGetItem>',
      children: {
        Get: actionTypes('Get', [ 'TableName', 'Key', 'ProjectionExpression', 'ExpressionAttributeNames' ], [ 'TableName', 'Key' ]),
      },
    },
  },
}

/**
 * Type and constraint checks as dynalite makes them for its own operations, then each action's own
 * validation (which also parses its expressions into the _condition/_updates/_projection dynalite's actions
 * use). Returns the actions as [{ kind, op }].
 */
function validate (data, types, kinds, name) {
  data = validations.checkTypes(data, types)
  const count = Array.isArray(data.TransactItems) ? data.TransactItems.length : 0
  if (data.TransactItems != null && (count < 1 || count > MAX_ACTIONS)) {
    throw db.validationError('1 validation error detected: Value \'[' + name + ' x ' + count + ']\' at \'transactItems\' ' +
      'failed to satisfy constraint: Member must have length ' +
      (count < 1 ? 'greater than or equal to 1' : 'less than or equal to ' + MAX_ACTIONS))
  }
  validations.checkValidations(data, types, null, store)
  const actions = data.TransactItems.map((item, i) => {
    if (item == null) {
      throw db.validationError('1 validation error detected: Value null at \'transactItems.' + (i + 1) +
        '.member\' failed to satisfy constraint: Member must not be null')
    }
    const present = kinds.filter((kind) => item[kind] != null)
    if (present.length !== 1) {
      throw db.validationError(kinds.length > 1 ? 'TransactItems can only contain one of Check, Put, Update or Delete'
        : 'TransactItems can only contain Get')
    }
    const kind = present[0], op = item[kind]
    const msg = SINGLE[kind].custom(op, store)
    if (msg) throw db.validationError(msg)
    return { kind, op }
  })
  return { data, actions }
}

/** Each action's table, key and item-independent checks, as dynalite's actions make them, in action order. */
function resolve (actions, cb) {
  let i = 0
  const seen = new Set()
  const next = (err) => {
    if (err) return cb(err)
    if (i === actions.length) return cb(null, actions)
    const action = actions[i++]
    store.getTable(action.op.TableName, true, (err, table) => {
      if (err) return cb(err)
      const keySource = action.kind === 'Put' ? action.op.Item : action.op.Key
      const invalid = (action.kind === 'Put' ? db.validateItem(keySource, table) : db.validateKey(keySource, table)) ||
        (action.kind === 'Update' ? db.validateUpdates(null, action.op._updates, table) : null) ||
        (action.kind === 'Get' ? db.validateKeyPaths((action.op._projection || {}).nestedPaths, table) : null)
      if (invalid) return cb(invalid)
      action.table = table
      action.key = db.createKey(keySource, table)
      const id = action.id = conflicts.itemId(table.TableName, action.key)
      if (seen.has(id)) return cb(db.validationError('Transaction request cannot include multiple operations on one item'))
      seen.add(id)
      next()
    })
  }
  next()
}

/**
 * Takes dynalite's item locks on every item the actions touch (all keys of a table at once, tables in name
 * order, so two transactions cannot deadlock), then calls work(done); done releases them all.
 */
function withLocks (actions, work) {
  const byTable = new Map()
  for (const action of actions) {
    if (!byTable.has(action.op.TableName)) byTable.set(action.op.TableName, [])
    byTable.get(action.op.TableName).push(action.key)
  }
  const tables = [ ...byTable.keys() ].sort()
  const releases = []
  const releaseAll = (cb) => (...args) => {
    releases.reverse().forEach((release) => release())
    cb(...args)
  }
  const lockTable = (i) => {
    if (i === tables.length) return work(releaseAll)
    store.getItemDb(tables[i]).lock(byTable.get(tables[i]), (releaser) => {
      releases.push(releaser(() => {}))
      lockTable(i + 1)
    })
  }
  lockTable(0)
}

function readCurrent (action, cb) {
  store.getItemDb(action.op.TableName).get(action.key, (err, item) => {
    if (err && err.name !== 'NotFoundError') return cb(err)
    action.current = item || undefined
    cb()
  })
}

function notFound () {
  const err = new Error('NotFoundError')
  err.name = 'NotFoundError'
  return err
}

/**
 * Runs dynalite's own write action against a view of the store that holds only this item's current value and
 * records the writes (item and secondary indexes) as batch operations instead of applying them.
 */
function stage (action, cb) {
  const writes = []
  const itemPrefix = 'item-' + action.op.TableName + '~'
  const itemDb = {
    lock: (key, exec) => exec((done) => done), // the real lock is already held
    get: (key, done) => action.current ? done(null, action.current) : done(notFound()),
    put: (key, value, done) => { writes.push({ type: 'put', key: itemPrefix + key, value }); done() },
    del: (key, done) => { writes.push({ type: 'del', key: itemPrefix + key }); done() },
  }
  const staging = {
    options: store.options,
    getTable: (name, done) => done(null, action.table),
    getItemDb: () => itemDb,
    getIndexDb: (indexType, tableName, indexName) => {
      const prefix = 'index-' + indexType.toLowerCase() + '~' + tableName + '~' + indexName + '~'
      return {
        put: (key, value, done) => { writes.push({ type: 'put', key: prefix + key, value }); done() },
        del: (key, done) => { writes.push({ type: 'del', key: prefix + key }); done() },
      }
    },
  }
  const op = Object.assign({}, action.op, { ReturnConsumedCapacity: 'TOTAL' })
  ACTIONS[action.kind](staging, op, (err, result) => {
    if (err) return cb(err)
    action.writes = writes
    action.units = result.ConsumedCapacity.CapacityUnits
    cb()
  })
}

/** The cancellation reason for one action, evaluated on the item as it is now; None if it would apply. */
function evaluate (action, cb) {
  const reason = (err) => {
    if (!err) return cb(null, { Code: 'None' })
    if (!err.statusCode) return cb(err)
    if (/ConditionalCheckFailed/.test(err.body.__type)) {
      const failed = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }
      if (action.op.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && action.current) failed.Item = action.current
      return cb(null, failed)
    }
    // Errors that depend on the item's current value (an ADD to a string, an item grown past 400 KB).
    cb(null, { Code: 'ValidationError', Message: err.body.message })
  }
  if (action.kind === 'ConditionCheck') {
    action.writes = []
    action.units = db.capacityUnits(action.current, false)
    return reason(db.checkConditional(action.op, action.current))
  }
  stage(action, reason)
}

/** The action's condition alone, on the item as it is now (what a prepare checks): ConditionalCheckFailed or None. */
function precheck (action) {
  const err = db.checkConditional(action.op, action.current)
  if (!err || !/ConditionalCheckFailed/.test(err.body && err.body.__type)) return NONE
  const failed = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }
  if (action.op.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && action.current) failed.Item = action.current
  return failed
}

function series (items, fn, cb) {
  const results = []
  const next = (i) => {
    if (i === items.length) return cb(null, results)
    fn(items[i], (err, result) => {
      if (err) return cb(err)
      results.push(result)
      next(i + 1)
    })
  }
  next(0)
}

// Stable JSON (sorted object keys): the same request sent again serializes the same, whatever the key order.
function canonical (value) {
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']'
  if (value && typeof value === 'object') {
    return '{' + Object.keys(value).sort().map((k) => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}'
  }
  return value === undefined ? 'null' : JSON.stringify(value)
}

function consumedCapacity (data, actions, unitsOf, field) {
  if (data.ReturnConsumedCapacity !== 'TOTAL' && data.ReturnConsumedCapacity !== 'INDEXES') return undefined
  const perTable = new Map()
  for (const action of actions) {
    perTable.set(action.op.TableName, (perTable.get(action.op.TableName) || 0) + unitsOf(action))
  }
  return [ ...perTable ].map(([ TableName, units ]) => {
    const capacity = { TableName, CapacityUnits: units, [field]: units }
    if (data.ReturnConsumedCapacity === 'INDEXES') capacity.Table = { CapacityUnits: units, [field]: units }
    return capacity
  })
}

function transactWriteItems (raw, cb) {
  const fingerprint = crypto.createHash('sha256').update(canonical(raw.TransactItems)).digest('hex')
  const { data, actions } = validate(raw, WRITE_TYPES, WRITE_KINDS, 'TransactWriteItem')
  const bytes = actions.reduce((sum, { kind, op }) => sum + db.itemSize(kind === 'Put' ? op.Item : op.Key), 0)
  if (bytes > MAX_TRANSACTION_BYTES) {
    return cb(db.validationError('Transaction request size exceeds the maximum allowed size of 4 MB'))
  }
  resolve(actions, (err) => {
    if (err) return cb(err)
    const token = data.ClientRequestToken
    const settle = (done) => withLocks(actions, (release) => commitOrReplay(data, actions, fingerprint, release(done)))
    if (!conflicts.windowMs) return settle(cb)
    forgetExpiredTokens()
    if (token && tokens.has(token) && !conflicts.tokenInFlight(token)) return settle(cb) // a resend of a completed transaction
    // What meets a transaction in flight: checked before this one reads its items and again, synchronously, just
    // before it holds them (another may have started meanwhile).
    const blocked = () => {
      const inFlight = token && conflicts.tokenInFlight(token)
      if (inFlight) {
        if (inFlight !== fingerprint) return mismatch()
        conflicts.count('TransactionInProgress')
        return conflicts.inProgress()
      }
      const held = actions.map((action) => conflicts.isHeld(action.id))
      if (!held.some(Boolean)) return null
      conflicts.count('TransactWriteItems')
      return conflicts.cancelled(held.map((isHeld) => isHeld ? conflicts.CONFLICT : NONE))
    }
    const early = blocked()
    if (early) return cb(early)
    const ids = actions.map((action) => action.id)
    const finish = (...answer) => {
      conflicts.release(ids, token)
      cb(...answer)
    }
    // DynamoDB checks a transaction's conditions as it prepares it: one that fails is cancelled then, without
    // holding its items. What holds afterwards is re-checked when it commits.
    withLocks(actions, (release) => series(actions, (action, done) => readCurrent(action, (err) => err ? done(err) : done(null, precheck(action))),
      release((err, reasons) => {
        if (err) return cb(err)
        if (reasons.some((reason) => reason.Code !== 'None')) return cb(conflicts.cancelled(reasons))
        const late = blocked()
        if (late) return cb(late)
        conflicts.hold(ids, token, fingerprint)
        setTimeout(settle, conflicts.windowMs, finish)
      })))
  })
}

function mismatch () {
  return error('IdempotentParameterMismatchException',
    'Request parameters do not match the parameters of the original request with this ClientRequestToken')
}

/** Under the items' locks: answers a resent token, or evaluates every action on the current items and commits. */
function commitOrReplay (data, actions, fingerprint, cb) {
  const token = data.ClientRequestToken
  forgetExpiredTokens()
  const seen = token && tokens.get(token)
  if (seen) {
    if (seen.fingerprint !== fingerprint) return cb(mismatch())
    // Already applied: answer success without applying again; a replay reads the items (2 units per 4 KB).
    return series(actions, readCurrent, (err) => {
      if (err) return cb(err)
      cb(null, { ConsumedCapacity: consumedCapacity(data, actions,
        (a) => 2 * db.capacityUnits(a.current, true, true), 'ReadCapacityUnits') })
    })
  }
  series(actions, (action, done) => readCurrent(action, (err) => err ? done(err) : evaluate(action, done)),
    (err, reasons) => {
      if (err) return cb(err)
      if (reasons.some((reason) => reason.Code !== 'None')) return cb(conflicts.cancelled(reasons))
      const writes = [].concat(...actions.map((action) => action.writes))
      const commit = (done) => writes.length ? store.db.batch(writes, done) : done()
      commit((err) => {
        if (err) return cb(err)
        if (token) tokens.set(token, { fingerprint, completedAt: Date.now() })
        // Transactional writes cost twice a plain write: 2 units per KB of each item.
        cb(null, { ConsumedCapacity: consumedCapacity(data, actions, (a) => 2 * a.units, 'WriteCapacityUnits') })
      })
    })
}

function transactGetItems (raw, cb) {
  const { data, actions } = validate(raw, GET_TYPES, [ 'Get' ], 'TransactGetItem')
  resolve(actions, (err) => {
    if (err) return cb(err)
    const held = actions.map((action) => conflicts.windowMs > 0 && conflicts.isHeld(action.id))
    if (held.some(Boolean)) {
      conflicts.count('TransactGetItems')
      return cb(conflicts.cancelled(held.map((isHeld) => isHeld ? conflicts.CONFLICT : NONE)))
    }
    // The same locks as writes: no write lands between the first read and the last.
    withLocks(actions, (release) => {
      cb = release(cb)
      series(actions, (action, done) => ACTIONS.Get(store, Object.assign({}, action.op, { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true }),
        (err, result) => {
          if (err) return done(err)
          action.units = result.ConsumedCapacity.CapacityUnits
          done(null, result.Item ? { Item: result.Item } : {})
        }), (err, responses) => {
        if (err) return cb(err)
        // Transactional reads cost twice a consistent read: 2 units per 4 KB of each item.
        cb(null, { Responses: responses, ConsumedCapacity: consumedCapacity(data, actions, (a) => 2 * a.units, 'ReadCapacityUnits') })
      })
    })
  })
}
