-- delete: one conversation and its index entries.
-- KEYS[1] the conversation's hash, KEYS[2] the updated-at index; ARGV[1] key prefix, [2] id code
-- Returns 1 when the conversation existed, else 0.
local tenantCode = tenantCodeOf(KEYS[1])
local existed = redis.call('EXISTS', KEYS[1])
redis.call('DEL', KEYS[1])
if tenantCode then
  forget(ARGV[1], KEYS[2], tenantCode, ARGV[2])
end
return existed
