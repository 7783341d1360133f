-- save: the compare-and-set of one conversation. A script runs atomically, so no other command
-- sees the conversation between the version check and the last write.
-- KEYS[1] the conversation's hash, KEYS[2] the updated-at index
-- ARGV[1] expected version, [2] key prefix, [3] id, [4] tenant, [5] id code, [6] tenant code,
--     [7] updatedAt (ISO-8601), [8] updatedAt in microseconds since the epoch, [9] TTL in
--     milliseconds (0: none), [10] message count n, [11 .. 10+n] messages, then turn records
-- Returns the new version, or -1 when the conversation is not at the expected version (nothing
-- is written then).
local key, updatedIndex = KEYS[1], KEYS[2]
local prefix, idCode = ARGV[2], ARGV[5]
local ttl = tonumber(ARGV[9])
local messageCount = tonumber(ARGV[10])

local stored = redis.call('HGET', key, 'version')
local current = 0
if stored then
  current = tonumber(stored) or -1
end
if current ~= tonumber(ARGV[1]) then
  return -1
end

-- The tenant is the first save's.
local tenant, tenantCode = ARGV[4], ARGV[6]
if current > 0 then
  local kept = redis.call('HMGET', key, 'tenant', 'tenantCode')
  if kept[1] and kept[2] then
    tenant, tenantCode = kept[1], kept[2]
  end
end

-- Redis does not roll a script back when a command fails in it: check every key this save writes
-- before the first write, so a failed save writes nothing. (The hash's own type was checked by
-- HGET above.)
local tenantIndex = tenantKey(prefix, tenantCode)
for _, index in ipairs({{tenantIndex, 'set'}, {updatedIndex, 'zset'}}) do
  local found = redis.call('TYPE', index[1])['ok']
  if found ~= 'none' and found ~= index[2] then
    return redis.error_reply('ERR the index key ' .. index[1] .. ' holds a ' .. found
      .. ', not a ' .. index[2] .. '; nothing was saved')
  end
end

-- The first write is SADD, a command Redis refuses when it is out of memory (maxmemory): it does
-- so only while a script has written nothing, so a full server refuses the whole save. (DEL,
-- which Redis allows when full, must not come first.)
local tenantIndexExisted = redis.call('EXISTS', tenantIndex)
redis.call('SADD', tenantIndex, idCode)

redis.call('DEL', key)
local fields = {}
local function flush()
  if #fields > 0 then
    redis.call('HSET', key, unpack(fields))
    fields = {}
  end
end
local function add(name, value)
  fields[#fields + 1] = name
  fields[#fields + 1] = value
  -- Lua's unpack takes some thousands of values: write in slices.
  if #fields >= 1000 then
    flush()
  end
end
add('id', ARGV[3])
add('tenant', tenant)
add('tenantCode', tenantCode)
add('version', string.format('%d', current + 1))
add('updatedAt', ARGV[7])
add('messages', ARGV[10])
add('turns', string.format('%d', #ARGV - 10 - messageCount))
for i = 1, messageCount do
  add('message:' .. (i - 1), ARGV[10 + i])
end
for i = 11 + messageCount, #ARGV do
  add('turn:' .. (i - 11 - messageCount), ARGV[i])
end
flush()
if ttl > 0 then
  redis.call('PEXPIRE', key, ttl)
end

-- The indexes live at least as long as the conversations they list: a new index gets the TTL, an
-- existing one is only ever extended, and without a TTL they persist.
local function keepAlive(index, existed)
  if ttl == 0 then
    redis.call('PERSIST', index)
    return
  end
  local left = redis.call('PTTL', index)
  if existed == 0 or (left >= 0 and left < ttl) then
    redis.call('PEXPIRE', index, ttl)
  end
end
keepAlive(tenantIndex, tenantIndexExisted)
local updatedIndexExisted = redis.call('EXISTS', updatedIndex)
redis.call('ZADD', updatedIndex, ARGV[8], tenantCode .. ':' .. idCode)
keepAlive(updatedIndex, updatedIndexExisted)

-- Entries of conversations that expired: a few of the oldest per save, so the indexes do not grow
-- with conversations nobody lists or sweeps. Best effort (pcall): the save is done whatever
-- happens here.
if ttl > 0 then
  local horizon = string.format('%.0f', tonumber(ARGV[8]) - ttl * 1000)
  local old = redis.call('ZRANGEBYSCORE', updatedIndex, '-inf', '(' .. horizon, 'LIMIT', 0, 8)
  for _, member in ipairs(old) do
    pcall(dropIfStale, prefix, updatedIndex, member)
  end
end
return current + 1
