-- Prepended to every script of the store (see LuaScript): key names and index upkeep.
-- Codes are the percent-encoded ids and tenants (KeyLayout.encode): they never hold ':'.

local function conversationKey(prefix, idCode)
  return prefix .. 'conversation:' .. idCode
end

local function tenantKey(prefix, tenantCode)
  return prefix .. 'tenant:' .. tenantCode
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
  if redis.call('HGET', conversationKey(prefix, idCode), 'tenantCode') == tenantCode then
    return false
  end
  redis.call('ZREM', updatedIndex, member)
  redis.call('SREM', tenantKey(prefix, tenantCode), idCode)
  return true
end

