-- deleteTenant: one batch of a tenant's conversations (the caller repeats until none are left).
-- KEYS[1] the tenant index, KEYS[2] the updated-at index; ARGV[1] key prefix, [2] tenant code,
-- [3] batch size
-- Returns {conversations deleted, index entries left}.
local deleted = 0
for _, idCode in ipairs(redis.call('SPOP', KEYS[1], ARGV[3])) do
  local key = conversationKey(ARGV[1], idCode)
  if tenantCodeOf(key) == ARGV[2] then
    redis.call('DEL', key)
    deleted = deleted + 1
  end
  redis.call('ZREM', KEYS[2], ARGV[2] .. ':' .. idCode)
end
return {deleted, redis.call('SCARD', KEYS[1])}
