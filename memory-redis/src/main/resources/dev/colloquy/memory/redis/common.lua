-- Prepended to every script of the store (see LuaScript): key names and index upkeep.
-- Codes are the percent-encoded ids and tenants (KeyLayout.encode): they never hold ':'.

local function conversationKey(prefix, idCode)
  return prefix .. 'conversation:' .. idCode
end

local function tenantKey(prefix, tenantCode)
  return prefix .. 'tenant:' .. tenantCode
end

-- The given fields of a conversation's hash (false for each when the key is absent), or nil when
-- the key holds something else than a hash (written by hand): such a key belongs to no tenant.
local function conversationFields(key, ...)
  local found = redis.call('TYPE', key)['ok']
  if found ~= 'hash' and found ~= 'none' then
    return nil
  end
  return redis.call('HMGET', key, ...)
end

-- Returns the tenant code of a conversation: false when it is absent or not a hash.
local function tenantCodeOf(key)
  local fields = conversationFields(key, 'tenantCode')
  return fields and fields[1] or false
end

-- A member of the updated-at index is '<tenant code>:<id code>'; nil for anything else.
local function parseMember(member)
  local separator = string.find(member, ':', 1, true)
  if not separator then
    return nil
  end
  return string.sub(member, 1, separator - 1), string.sub(member, separator + 1)
end

-- Deletes a conversation and its index entries.
local function forget(prefix, updatedIndex, tenantCode, idCode)
  redis.call('DEL', conversationKey(prefix, idCode))
  redis.call('SREM', tenantKey(prefix, tenantCode), idCode)
  redis.call('ZREM', updatedIndex, tenantCode .. ':' .. idCode)
end

-- Removes an index entry whose conversation is gone (expired, deleted by hand) or now belongs to
-- another tenant; returns whether it did.
local function dropIfStale(prefix, updatedIndex, member)
  local tenantCode, idCode = parseMember(member)
  if not tenantCode then
    redis.call('ZREM', updatedIndex, member)
    return true
  end
  if tenantCodeOf(conversationKey(prefix, idCode)) == tenantCode then
    return false
  end
  redis.call('ZREM', updatedIndex, member)
  redis.call('SREM', tenantKey(prefix, tenantCode), idCode)
  return true
end

