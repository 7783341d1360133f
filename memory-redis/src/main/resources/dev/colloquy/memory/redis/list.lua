-- list: a tenant's conversations, dropping the entries of those that expired or moved on.
-- KEYS[1] the tenant index, KEYS[2] the updated-at index; ARGV[1] key prefix, [2] tenant code
-- Returns one {id code, id, version, message count, updatedAt} per conversation, in no order.
local out = {}
for _, idCode in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local fields = conversationFields(conversationKey(ARGV[1], idCode),
    'tenantCode', 'id', 'version', 'messages', 'updatedAt')
  if fields and fields[1] == ARGV[2] then
    out[#out + 1] = {idCode, fields[2] or '', fields[3] or '', fields[4] or '', fields[5] or ''}
  else
    redis.call('SREM', KEYS[1], idCode)
    redis.call('ZREM', KEYS[2], ARGV[2] .. ':' .. idCode)
  end
end
return out
